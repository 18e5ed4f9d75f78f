"""What the graph was last given per entity (sync_state), as a read that federates reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, cast

from persistence.sql.models import SyncState

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import Select
    from sqlalchemy.orm import QueryableAttribute

    from domain.events import EntityType

__all__ = ["with_synced_version"]


def with_synced_version(
    query: Select[uuid.UUID, Any], *, entity_type: EntityType, entity_id: QueryableAttribute[Any]
) -> Select[uuid.UUID, Any, int | None]:
    """`query` with one more column: the version the graph holds of the entity whose id is
    `entity_id` (one of the query's columns), or None where it was never given it; read in
    the same statement (an outer join on sync_state's key)."""
    synced = and_(
        SyncState.entity_type == entity_type.value,
        SyncState.entity_id == cast(entity_id, String),
    )
    return query.add_columns(SyncState.synced_version).outerjoin(SyncState, synced)
