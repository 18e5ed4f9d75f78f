"""Mirrors of concepts (nodes) and concept relations (typed, weighted edges)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from domain.events import EntityType
from domain.relations import RELATION_KINDS, RELATION_TYPES
from persistence.sql.models import Concept, ConceptRelation
from persistence.sync import cypher
from persistence.sync.hashing import content_hash
from persistence.sync.mirror import Snapshot
from persistence.sync.nodes import NodeMirror
from persistence.sync.structure import parse_uuids
from persistence.sync.targets import Target, edge_page

if TYPE_CHECKING:
    from collections.abc import Sequence

    from neo4j import ManagedTransaction
    from sqlalchemy.orm import Session

__all__ = ["ConceptRelationMirror", "concept_mirror"]

CONCEPT_PROPERTIES = (
    "name",
    "display_name",
    "description",
    "domain",
    "category",
    "subcategory",
    "difficulty",
    "complexity_score",
    "cognitive_load",
)

RELATIONS_PAGE = edge_page(
    "Concept",
    RELATION_TYPES,
    "Concept",
    removal="{source_id: s.id, target_id: t.id, kind: toLower(type(x))}",
)


def _write_relations(rel_type: str) -> str:
    # rel_type is one of RELATION_KINDS' values, never user input.
    return cypher.between_ends(
        "Concept",
        rel_type,
        "Concept",
        "SET r.id = row.id, r.version = row.version, r.strength = row.strength,"
        " r.reason = row.reason, r.content_hash = row.content_hash",
    )


def _remove_relations(rel_type: str) -> str:
    return f"""
UNWIND $keys AS key
MATCH (:Concept {{id: key.source_id}})-[r:{rel_type}]->(:Concept {{id: key.target_id}})
WHERE r.id = key.id
DELETE r
"""


def concept_mirror() -> NodeMirror:
    return NodeMirror(
        entity_type=EntityType.CONCEPT,
        label="Concept",
        model=Concept,
        properties=CONCEPT_PROPERTIES,
        order=10,
    )


def relation_row(relation: ConceptRelation) -> dict[str, Any]:
    properties = {"strength": relation.strength, "reason": relation.reason}
    return {
        "id": str(relation.id),
        "version": relation.version,
        "kind": relation.kind,
        "source_id": str(relation.source_id),
        "target_id": str(relation.target_id),
        **properties,
        "content_hash": content_hash(properties),
    }


class ConceptRelationMirror:
    """(:Concept)-[:PREREQUISITE|RELATED_TO|BUILDS_UPON|PART_OF {strength, reason}]->(:Concept)."""

    entity_type = EntityType.CONCEPT_RELATION
    order = 20
    node_label: str | None = None
    link_owners: tuple[Any, ...] = ()
    edge_id_types = RELATION_TYPES
    # remove() finds the edge by its ends and kind: the relation's id is not on them
    removal: tuple[Any, ...] = (
        ConceptRelation.source_id,
        ConceptRelation.target_id,
        ConceptRelation.kind,
    )
    target = Target(
        EntityType.CONCEPT_RELATION, ConceptRelation, (ConceptRelation.id,), RELATIONS_PAGE, "x.id"
    )

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot:
        keys = list(parse_uuids(ids).values())
        relations = session.scalars(
            select(ConceptRelation).where(ConceptRelation.id.in_(keys))
        ).all()
        return Snapshot.of(ids, [relation_row(relation) for relation in relations])

    def structure(self, row: dict[str, Any]) -> dict[str, list[str]] | None:
        return None

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> set[str]:
        waiting: set[str] = set()
        for kind, rel_type in RELATION_KINDS.items():
            of_kind = [row for row in rows if row["kind"] == kind]
            if of_kind:
                records = tx.run(_write_relations(rel_type), rows=of_kind)
                waiting |= {record["id"] for record in records}
        return waiting

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None:
        keys = [
            {**payload, "id": entity_id} for entity_id, payload in zip(ids, payloads, strict=True)
        ]
        for kind, rel_type in RELATION_KINDS.items():
            of_kind = [key for key in keys if key.get("kind") == kind]
            if of_kind:
                tx.run(_remove_relations(rel_type), keys=of_kind).consume()
