"""A mirror for nodes that hang in a structure: a parent edge, link sets and a sibling chain.

One SQL statement reads a batch: the row's own columns plus, as correlated subqueries, its link
items (JSON) and its siblings in order. The node is written under the version guard; its edges
are rebuilt only for the rows that passed it, so an older snapshot never rewires a newer node.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction
from sqlalchemy import RowMapping, ScalarSelect, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from domain.events import EntityType
from persistence.sync import cypher
from persistence.sync.hashing import content_hash
from persistence.sync.mirror import Snapshot

__all__ = ["EDGE_HASH", "Chain", "LinkSet", "ParentLink", "StructuredMirror", "parse_uuids"]

EDGE_HASH = content_hash({})


@dataclass(frozen=True)
class ParentLink:
    """(:label {id: row's column})-[:rel_type]->(node), moved when the column changes."""

    label: str
    rel_type: str
    column: Any


@dataclass(frozen=True)
class LinkSet:
    """(node)-[:rel_type]->(:target_label) for each row of a link table; `properties` go on it."""

    rel_type: str
    target_label: str
    owner: Any
    target: Any
    properties: tuple[Any, ...] = ()

    @property
    def key(self) -> str:
        return self.rel_type.lower()


@dataclass(frozen=True)
class Chain:
    """(a)-[:rel_type]->(b) between consecutive children of one parent, by order_index then id."""

    rel_type: str


@dataclass(frozen=True)
class _ChainText:
    parents: str
    from_rows: str
    from_graph: str


def _chain_text(label: str, parent: ParentLink, chain: Chain) -> _ChainText:
    names = (label, parent.label, parent.rel_type)
    return _ChainText(
        parents=cypher.parents_of(*names),
        from_rows=cypher.chain_from_rows(*names, chain.rel_type),
        from_graph=cypher.chain_from_graph(*names, chain.rel_type),
    )


def parse_uuids(ids: Sequence[str]) -> dict[str, uuid.UUID]:
    """The ids that are UUIDs; any other id cannot name a row, so it counts as gone."""
    parsed: dict[str, uuid.UUID] = {}
    for value in ids:
        try:
            parsed[value] = uuid.UUID(value)
        except ValueError:
            continue
    return parsed


def _link_items(model: Any, link: LinkSet) -> ScalarSelect[Any]:
    fields: list[Any] = [literal_column("'id'"), link.target]
    for column in link.properties:
        fields += [literal_column(f"'{column.key}'"), column]
    items = func.coalesce(func.json_agg(func.json_build_object(*fields)), literal_column("'[]'"))
    return select(items).where(link.owner == model.id).scalar_subquery()


def _siblings(model: Any, parent: ParentLink) -> ScalarSelect[Any]:
    sibling = aliased(model)
    ordered = aggregate_order_by(sibling.id, sibling.order_index, sibling.id)
    same_parent = getattr(sibling, parent.column.key) == parent.column
    return select(func.array_agg(ordered)).where(same_parent).scalar_subquery()


def _link_item(item: Mapping[str, Any]) -> dict[str, Any]:
    properties = {name: value for name, value in item.items() if name != "id"}
    return {
        "id": str(item["id"]),
        "properties": properties,
        "content_hash": content_hash(properties),
    }


class StructuredMirror:
    """MERGE on id under the version guard, then the parent edge, link sets and chain."""

    def __init__(
        self,
        *,
        entity_type: EntityType,
        label: str,
        model: Any,
        properties: Sequence[str],
        order: int,
        parent: ParentLink | None = None,
        links: Sequence[LinkSet] = (),
        chain: Chain | None = None,
        cascade: tuple[str, ...] = (),
    ) -> None:
        self.entity_type = entity_type
        self.order = order
        self.label = label
        self._model = model
        self._properties = tuple(properties)
        self._parent = parent
        self._links = tuple(links)
        self._chain = _chain_text(label, parent, chain) if parent and chain else None
        self._remove = cypher.remove_nodes(label, cascade)

    def _columns(self) -> list[Any]:
        model = self._model
        columns: list[Any] = [model.id.label("id"), model.version.label("version")]
        columns += [getattr(model, name).label(name) for name in self._properties]
        if self._parent:
            columns.append(self._parent.column.label("parent_id"))
        if self._parent and self._chain:
            columns.append(_siblings(model, self._parent).label("siblings"))
        columns += [_link_items(model, link).label(link.key) for link in self._links]
        return columns

    def _row(self, entity_id: str, found: RowMapping) -> dict[str, Any]:
        properties = {name: found[name] for name in self._properties}
        row: dict[str, Any] = {
            "id": entity_id,
            "version": found["version"],
            "properties": properties,
            "content_hash": content_hash(properties),
        }
        if self._parent:
            row["parent_id"] = str(found["parent_id"])
        if self._chain:
            row["siblings"] = [str(sibling) for sibling in found["siblings"]]
        for link in self._links:
            row[link.key] = [_link_item(item) for item in found[link.key]]
        return row

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot:
        wanted = {key: value for value, key in parse_uuids(ids).items()}
        query = select(*self._columns()).where(self._model.id.in_(list(wanted)))
        rows = [self._row(wanted[f["id"]], f) for f in session.execute(query).mappings()]
        present = {row["id"] for row in rows}
        return Snapshot(rows=rows, gone=[value for value in ids if value not in present])

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
        written = {record["id"] for record in tx.run(cypher.guarded_node(self.label), rows=rows)}
        passed = [row for row in rows if row["id"] in written]
        if not passed:
            return
        if self._parent:
            parent = self._parent
            statement = cypher.parent_link(self.label, parent.label, parent.rel_type)
            tx.run(statement, rows=passed, edge_hash=EDGE_HASH).consume()
        for link in self._links:
            statement = cypher.link_set(self.label, link.rel_type, link.target_label, link.key)
            tx.run(statement, rows=passed).consume()
        if self._chain:
            self._write_chains(tx, self._chain, passed)

    def _write_chains(
        self, tx: ManagedTransaction, chain: _ChainText, rows: list[dict[str, Any]]
    ) -> None:
        chains = {row["parent_id"]: row["siblings"] for row in rows}
        params = [{"parent_id": parent, "ids": ids} for parent, ids in chains.items()]
        tx.run(chain.from_rows, chains=params, edge_hash=EDGE_HASH).consume()

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None:
        if not self._chain:
            tx.run(self._remove, ids=ids).consume()
            return
        parent_ids = [record["id"] for record in tx.run(self._chain.parents, ids=ids)]
        tx.run(self._remove, ids=ids).consume()
        tx.run(self._chain.from_graph, parent_ids=parent_ids, edge_hash=EDGE_HASH).consume()
