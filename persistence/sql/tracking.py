"""What the unit of work's bookkeeping knows of each mirrored model: its entity type, the
columns naming its entity id, its event kinds and what a delete event carries.

The mirror registry builds these (persistence/sync/tracking.py); this module holds only their
shape and the rows' readings, so persistence/sql needs nothing from persistence/sync.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.events import ChangeEvent, EntityType, EventType

__all__ = ["Change", "Tracked", "Tracking"]

Change = str  # "created", "updated" or "deleted"


@dataclass(frozen=True)
class Tracked:
    """One mirrored model. `key` and `removal` are mapped attributes (Model.column)."""

    entity_type: EntityType
    key: tuple[Any, ...]
    created: EventType
    updated: EventType
    deleted: EventType
    removal: tuple[Any, ...] = ()  # what a delete event carries: the row is gone by then
    links: tuple[Any, ...] = ()  # owner columns of its link tables (rows that are its edges)

    @property
    def model(self) -> Any:
        return self.key[0].class_

    def columns(self) -> dict[str, Any]:
        """Every column an event needs, by attribute name."""
        wanted = {attribute.key: attribute for attribute in (*self.key, *self.removal)}
        version = getattr(self.model, "version", None)
        return {**wanted, "version": version} if version is not None else wanted

    def values_of(self, row: Any) -> dict[str, Any]:
        """What columns() names, read from an ORM row."""
        return {name: getattr(row, name) for name in self.columns()}

    def event(self, change: Change, values: Mapping[str, Any]) -> ChangeEvent:
        """The event for a row's change, from its values (after the change; before a delete)."""
        entity_id = ":".join(str(values[attribute.key]) for attribute in self.key)
        version: int | None = values.get("version")
        if change == "deleted":
            payload = {
                attribute.key: str(values[attribute.key])
                for attribute in self.removal
                if values[attribute.key] is not None
            }
            after = version + 1 if version is not None else 1
            return ChangeEvent(self.deleted, self.entity_type, entity_id, after, payload)
        kind = self.created if change == "created" else self.updated
        return ChangeEvent(kind, self.entity_type, entity_id, version or 1)


Tracking = Mapping[Any, Tracked]  # mirrored model class -> how it is tracked
