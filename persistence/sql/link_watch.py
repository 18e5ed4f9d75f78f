"""The rows of a mirror's link table (a path's items, a theory's skills) belong to their
owner's node: a unit of work that writes them by statement must leave the owner with an event
of its own (`touch(owner)`, or the owner's creation or delete), or the graph never hears."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy import Column

    from domain.events import ChangeEvent
    from persistence.sql.tracking import Tracked, Tracking

__all__ = ["LinkWatch", "UnannouncedLinks"]


class UnannouncedLinks(Exception):  # noqa: N818  # names what it refuses, like HiddenWrite
    """Link rows changed, but their owner records no event in the unit of work."""


def _column(owner: Any) -> Column[Any]:
    """The table column of a mapped attribute (Model.column) or of a table's column."""
    column: Column[Any] = getattr(owner, "expression", owner)
    return column


class LinkWatch:
    """Which tables are link tables (and of whose rows), and the owners a unit of work's
    statements changed links of."""

    def __init__(self, tracking: Tracking) -> None:
        self._owners: dict[Any, tuple[Column[Any], Tracked]] = {
            _column(owner).table: (_column(owner), tracked)
            for tracked in tracking.values()
            for owner in tracked.links
        }
        self._changed: dict[tuple[str, str], str] = {}  # (entity type, owner id) -> table

    def owner_of(self, table: Any) -> tuple[Column[Any], Tracked] | None:
        """The owner column of a link table, and how its owner is tracked; None otherwise."""
        return self._owners.get(table)

    def changed(self, tracked: Tracked, table: str, owner_ids: Iterable[object]) -> None:
        for owner_id in owner_ids:
            self._changed[(tracked.entity_type.value, str(owner_id))] = table

    def check(self, events: Iterable[ChangeEvent]) -> None:
        """Raises UnannouncedLinks when an owner whose links changed records no event."""
        announced = {(event.entity_type.value, event.entity_id) for event in events}
        silent = sorted(key for key in self._changed if key not in announced)
        if silent:
            (entity_type, owner_id), table = silent[0], self._changed[silent[0]]
            raise UnannouncedLinks(
                f"rows of {table} changed for {entity_type} {owner_id}, which records no "
                f"event: touch() it in the same unit of work ({len(silent)} such owners)"
            )
        self._changed.clear()
