"""Concepts, their relations and the learning paths, found by their unique keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from domain.events import EntityType
from persistence.sql.models import Concept, ConceptRelation, LearningPath, LearningPathItem
from persistence.sql.seed.data.concepts import CONCEPTS, RELATIONS, Relation
from persistence.sql.seed.data.paths import PATHS

if TYPE_CHECKING:
    import uuid

    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_concepts", "load_paths", "load_relations"]


def load_concepts(seeding: Seeding, *, author: uuid.UUID) -> dict[str, Concept]:
    """name -> concept, for every demo concept (created when missing)."""
    names = [fields["name"] for fields in CONCEPTS]
    found = seeding.session.scalars(select(Concept).where(Concept.name.in_(names))).all()
    concepts = {concept.name: concept for concept in found}
    for fields in CONCEPTS:
        if fields["name"] not in concepts:
            concepts[fields["name"]] = _new_concept(seeding, fields, author)
    return concepts


def _new_concept(seeding: Seeding, fields: dict[str, Any], author: uuid.UUID) -> Concept:
    concept = Concept(**fields, created_by=author, version=1)
    seeding.session.add(concept)
    seeding.session.flush()
    seeding.node_created(EntityType.CONCEPT, concept.id)
    return concept


def load_relations(seeding: Seeding, concepts: dict[str, Concept]) -> int:
    """Adds the missing demo relations; returns how many demo relations exist."""
    rows = seeding.session.execute(
        select(ConceptRelation.source_id, ConceptRelation.target_id, ConceptRelation.kind)
    )
    existing = {(source, target, kind) for source, target, kind in rows}
    for relation in RELATIONS:
        key = (concepts[relation.source].id, concepts[relation.target].id, relation.kind)
        if key not in existing:
            _new_relation(seeding, relation, key)
    return len(RELATIONS)


def _new_relation(
    seeding: Seeding, relation: Relation, key: tuple[uuid.UUID, uuid.UUID, str]
) -> None:
    row = ConceptRelation(
        source_id=key[0],
        target_id=key[1],
        kind=key[2],
        strength=relation.strength,
        reason=relation.reason,
        version=1,
    )
    seeding.session.add(row)
    seeding.session.flush()
    seeding.edge_created(EntityType.CONCEPT_RELATION, row.id)


def load_paths(
    seeding: Seeding, concepts: dict[str, Concept], *, author: uuid.UUID
) -> dict[str, LearningPath]:
    """title -> path; a new path gets its items, an existing one is left as it is."""
    titles = [fields["title"] for fields in PATHS]
    found = seeding.session.scalars(select(LearningPath).where(LearningPath.title.in_(titles)))
    paths = {path.title: path for path in found}
    for fields in PATHS:
        if fields["title"] not in paths:
            paths[fields["title"]] = _new_path(seeding, fields, concepts, author)
    return paths


def _new_path(
    seeding: Seeding, fields: dict[str, Any], concepts: dict[str, Concept], author: uuid.UUID
) -> LearningPath:
    columns = {key: value for key, value in fields.items() if key != "items"}
    path = LearningPath(**columns, created_by=author, version=1)
    seeding.session.add(path)
    seeding.session.flush()
    items = [
        LearningPathItem(
            path_id=path.id,
            concept_id=concepts[item.concept].id,
            order_index=index,
            is_required=item.is_required,
        )
        for index, item in enumerate(fields["items"])
    ]
    seeding.session.add_all(items)
    seeding.session.flush()
    seeding.row_created("learning_path_item", len(items))
    seeding.node_created(EntityType.LEARNING_PATH, path.id)
    return path
