"""How one entity type is mirrored: read its current SQL state, write it to the graph.

Each mirror reads rows for a batch of ids in one SQL statement and writes them with one
UNWIND per statement, so a batch costs a constant number of round trips whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from neo4j import ManagedTransaction
from sqlalchemy.orm import Session

from domain.events import EntityType

__all__ = ["Mirror", "MirrorRegistry", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """The current SQL state of a batch: rows to write and ids that no longer exist."""

    rows: list[dict[str, Any]]
    gone: list[str]


class Mirror(Protocol):
    entity_type: EntityType
    order: int  # nodes before the edges that hang on them

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot: ...

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None: ...

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None: ...


class MirrorRegistry:
    def __init__(self, mirrors: Sequence[Mirror]) -> None:
        self._mirrors = {mirror.entity_type: mirror for mirror in mirrors}

    def __getitem__(self, entity_type: EntityType) -> Mirror:
        return self._mirrors[entity_type]

    def ordered(self, entity_types: set[EntityType]) -> list[Mirror]:
        chosen = [self._mirrors[entity_type] for entity_type in entity_types]
        return sorted(chosen, key=lambda mirror: mirror.order)
