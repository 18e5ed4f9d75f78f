"""The unit of work's bookkeeping, derived from the mirror registry: which models are mirrored,
under which entity type and key, with which event kinds and what a delete carries."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.tracking import Change, Tracked, Tracking
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from persistence.sync.mirror import Mirror

__all__ = ["mirrored_rows", "row_event", "tracked"]

KINDS = {
    "user": (EventType.USER_CREATED, EventType.USER_UPDATED, EventType.USER_DELETED),
    "node": (EventType.ENTITY_CREATED, EventType.ENTITY_UPDATED, EventType.ENTITY_DELETED),
    "edge": (
        EventType.RELATIONSHIP_CREATED,
        EventType.RELATIONSHIP_UPDATED,
        EventType.RELATIONSHIP_DELETED,
    ),
}


def tracked(mirror: Mirror) -> Tracked:
    if mirror.entity_type is EntityType.USER:
        created, updated, deleted = KINDS["user"]
    else:
        created, updated, deleted = KINDS["node" if mirror.node_label else "edge"]
    return Tracked(
        entity_type=mirror.entity_type,
        key=mirror.target.key,
        created=created,
        updated=updated,
        deleted=deleted,
        removal=mirror.removal,
        links=mirror.link_owners,
    )


@cache
def mirrored_rows() -> Tracking:
    """Every mirrored model of the default registry, by class."""
    tracking = [tracked(mirror) for mirror in default_registry().ordered()]
    return {entry.model: entry for entry in tracking}


def row_event(change: Change, row: Any) -> ChangeEvent:
    """The event a unit of work records for this mirrored row's change, for code that writes
    outside one (scripts, tests)."""
    tracking = mirrored_rows()[type(row)]
    return tracking.event(change, tracking.values_of(row))
