"""A mirror for entities that are plain graph nodes: one label, properties, a version."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from neo4j import ManagedTransaction
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.events import EntityType
from persistence.sync.hashing import content_hash
from persistence.sync.mirror import Snapshot

__all__ = ["NodeMirror", "node_row"]


def node_row(entity: Any, properties: Sequence[str]) -> dict[str, Any]:
    values = {name: getattr(entity, name) for name in properties}
    return {
        "id": str(entity.id),
        "version": entity.version,
        "properties": values,
        "content_hash": content_hash(values),
    }


class NodeMirror:
    """MERGE on id, guarded by version; DETACH DELETE when the row is gone.

    `label` comes from code, never from input: labels cannot be Cypher parameters.
    """

    def __init__(
        self,
        *,
        entity_type: EntityType,
        label: str,
        model: Any,
        properties: Sequence[str],
        order: int,
        extra_cypher: str = "",
        extra_row: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.entity_type = entity_type
        self.order = order
        self._model = model
        self._properties = tuple(properties)
        self._extra_row = extra_row
        self._write = f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
WITH n, row WHERE n.version IS NULL OR n.version <= row.version
SET n += row.properties, n.version = row.version, n.content_hash = row.content_hash
{extra_cypher}
"""
        self._remove = f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n"

    def row(self, entity: Any) -> dict[str, Any]:
        row = node_row(entity, self._properties)
        return {**row, **self._extra_row(entity)} if self._extra_row else row

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot:
        keys = [uuid.UUID(value) for value in ids]
        entities = session.scalars(select(self._model).where(self._model.id.in_(keys))).all()
        rows = [self.row(entity) for entity in entities]
        found = {row["id"] for row in rows}
        return Snapshot(rows=rows, gone=[value for value in ids if value not in found])

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
        tx.run(self._write, rows=rows).consume()

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None:
        tx.run(self._remove, ids=ids).consume()
