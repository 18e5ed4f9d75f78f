"""How one entity type is mirrored: read its current SQL state, write it to the graph.

Each mirror reads rows for a batch of ids in one SQL statement and writes them with one
UNWIND per statement, so a batch costs a constant number of round trips whatever its size.
A mirror's declaration is the one place its entity type is described: the registry derives
from it what reconciliation compares (`target`) and what the graph's schema needs
(`node_label`, `edge_id_types`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from neo4j import ManagedTransaction
    from sqlalchemy.orm import Session

    from domain.events import EntityType
    from persistence.sync.targets import Target

__all__ = ["Mirror", "MirrorRegistry", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """The current SQL state of a batch: rows to write and ids that no longer exist."""

    rows: list[dict[str, Any]]
    gone: list[str]

    @classmethod
    def of(cls, ids: Iterable[str], rows: list[dict[str, Any]]) -> Snapshot:
        """The rows found for `ids`; every id without a row (or that names none) is gone."""
        present = {row["id"] for row in rows}
        return cls(rows=rows, gone=[value for value in ids if value not in present])


class Mirror(Protocol):
    entity_type: EntityType
    order: int  # nodes before the edges that hang on them
    target: Target  # where reconciliation finds it on both sides
    node_label: str | None  # the label whose nodes it owns (unique id), if any
    edge_id_types: tuple[str, ...]  # relationship types it writes with an `id` to index
    removal: tuple[Any, ...]  # columns a delete event carries for remove() (the row is gone)
    link_owners: tuple[Any, ...]  # owner columns of the link tables whose rows are its edges

    def snapshot(self, session: Session, ids: Sequence[str]) -> Snapshot: ...

    def structure(self, row: dict[str, Any]) -> dict[str, list[str]] | None:
        """The edges a snapshot row hangs by (other ends' ids, sorted), as the graph page's
        `structure` gives them; None for a mirror without such edges."""
        ...

    def write(self, tx: ManagedTransaction, rows: list[dict[str, Any]]) -> set[str]:
        """Write the rows; returns the ids of those that wait for a node the graph does not
        hold yet (an edge's end, a parent, a link's target), which is never created as a stub:
        the row's events stay open and are applied again once that node is there, or once a
        delete that raced them has removed the row from SQL too."""
        ...

    def remove(
        self, tx: ManagedTransaction, ids: list[str], payloads: list[dict[str, Any]]
    ) -> None: ...


class MirrorRegistry:
    def __init__(self, mirrors: Sequence[Mirror]) -> None:
        self._mirrors = {mirror.entity_type: mirror for mirror in mirrors}

    def __getitem__(self, entity_type: EntityType) -> Mirror:
        return self._mirrors[entity_type]

    def __contains__(self, entity_type: object) -> bool:
        return entity_type in self._mirrors

    def ordered(self, entity_types: Iterable[EntityType] | None = None) -> list[Mirror]:
        """The mirrors of `entity_types` (all when None), nodes before the edges on them."""
        chosen = self._mirrors if entity_types is None else set(entity_types)
        mirrors = [self._mirrors[entity_type] for entity_type in chosen]
        return sorted(mirrors, key=lambda mirror: (mirror.order, mirror.entity_type.value))

    def target(self, entity_type: EntityType) -> Target:
        return self._mirrors[entity_type].target

    def node_labels(self) -> list[str]:
        return [mirror.node_label for mirror in self.ordered() if mirror.node_label]

    def edge_id_types(self) -> list[str]:
        return [kind for mirror in self.ordered() for kind in mirror.edge_id_types]
