"""A mirror for rows that are one graph edge, keyed by two ids ("left:right" in entity ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import RowMapping, Uuid, cast, func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY

from persistence.sync import cypher
from persistence.sync.hashing import content_hash
from persistence.sync.mirror import Snapshot
from persistence.sync.targets import Target, edge_page, split_key, uuid_array

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from neo4j import ManagedTransaction
    from sqlalchemy.orm import Session

    from domain.events import EntityType

__all__ = ["EdgeEnd", "EdgeMirror", "learner_edge"]


@dataclass(frozen=True)
class EdgeEnd:
    """One endpoint: the node label and the SQL column holding its id."""

    label: str
    column: Any


def _graph_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class EdgeMirror:
    """MERGE (source)-[rel]->(target) between existing end nodes, guarded by version; DELETE
    when gone. A row whose end the graph does not hold waits (see `Mirror.write`).

    `key` lists the SQL key columns in the order the entity id names them. A table without a
    version column (`version=None`) counts every present row as version 1.
    """

    node_label: str | None = None
    link_owners: tuple[Any, ...] = ()

    def __init__(
        self,
        *,
        entity_type: EntityType,
        rel_type: str,
        key: tuple[Any, Any],
        source: EdgeEnd,
        target: EdgeEnd,
        properties: Mapping[str, Any],
        version: Any | None,
        order: int,
    ) -> None:
        self.entity_type = entity_type
        self.order = order
        self.edge_id_types: tuple[str, ...] = (rel_type,)
        self.removal: tuple[Any, ...] = ()  # its entity id names both ends
        page = edge_page(source.label, (rel_type,), target.label)
        self.target = Target(entity_type, key[0].class_, key, page, "x.id")
        self._key = key
        self._source = source
        self._target = target
        self._properties = dict(properties)
        self._version = version
        self._write = cypher.between_ends(
            source.label,
            rel_type,
            target.label,
            "SET r += row.properties, r.id = row.id, r.version = row.version,"
            " r.content_hash = row.content_hash",
        )
        self._remove = f"""
UNWIND $keys AS key
MATCH (:{source.label} {{id: key.source_id}})-[r:{rel_type}]->(:{target.label} {{id: key.target_id}})
DELETE r
"""

    def _ends(self, entity_id: str) -> dict[str, str] | None:
        parts = split_key(entity_id)
        if parts is None:
            return None
        by_column = {self._key[0].key: parts[0], self._key[1].key: parts[1]}
        return {
            "id": entity_id,
            "source_id": str(by_column[self._source.column.key]),
            "target_id": str(by_column[self._target.column.key]),
        }

    def _row(self, entity_id: str, found: RowMapping) -> dict[str, Any]:
        properties = {name: _graph_value(found[name]) for name in self._properties}
        return {
            "id": entity_id,
            "source_id": str(found["source_id"]),
            "target_id": str(found["target_id"]),
            "version": found["version"] if self._version is not None else 1,
            "properties": properties,
            "content_hash": content_hash(properties),
        }

    def _columns(self) -> list[Any]:
        columns = [
            self._key[0].label("left"),
            self._key[1].label("right"),
            self._source.column.label("source_id"),
            self._target.column.label("target_id"),
            *[column.label(name) for name, column in self._properties.items()],
        ]
        if self._version is not None:
            columns.append(self._version.label("version"))
        return columns

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot:
        wanted = {parts: value for value in ids if (parts := split_key(value)) is not None}
        if not wanted:
            return Snapshot.of(ids, [])
        lefts = uuid_array(left for left, _ in wanted)
        rights = uuid_array(right for _, right in wanted)
        pairs = (
            func.unnest(cast(literal(lefts), ARRAY(Uuid)), cast(literal(rights), ARRAY(Uuid)))
            .table_valued("left_id", "right_id")
            .render_derived()
        )
        keys = select(pairs.c.left_id, pairs.c.right_id)
        query = select(*self._columns()).where(tuple_(*self._key).in_(keys))
        found = session.execute(query).mappings()
        return Snapshot.of(ids, [self._row(wanted[(f["left"], f["right"])], f) for f in found])

    def structure(self, row: dict[str, Any]) -> dict[str, list[str]] | None:
        return None

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> set[str]:
        # Ends in one order in every batch: concurrent batches wait for, never deadlock on,
        # each other's node locks.
        ordered = sorted(rows, key=lambda row: (row["source_id"], row["target_id"]))
        return {record["id"] for record in tx.run(self._write, rows=ordered)}

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None:
        keys = [ends for ends in map(self._ends, ids) if ends is not None]
        if keys:
            tx.run(self._remove, keys=keys).consume()


def learner_edge(
    entity_type: EntityType, rel_type: str, target: EdgeEnd, properties: Mapping[str, Any]
) -> EdgeMirror:
    """(:User)-[rel]->(target), kept on a versioned row of a learner's (`user_id`) keyed by
    (user_id, the target's id column); synced after the nodes it hangs on."""
    model = target.column.class_
    return EdgeMirror(
        entity_type=entity_type,
        rel_type=rel_type,
        key=(model.user_id, target.column),
        source=EdgeEnd("User", model.user_id),
        target=target,
        properties=properties,
        version=model.version,
        order=70,
    )
