"""What the graph was last given per entity (sync_state), as a read that federates reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import SyncState

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.events import EntityType

__all__ = ["synced_versions"]


async def synced_versions(
    session: AsyncSession, *, entity_type: EntityType, entity_ids: Sequence[str]
) -> dict[str, int]:
    """The version the graph holds of each entity it was given; absent ones are not there."""
    if not entity_ids:
        return {}
    query = select(SyncState.entity_id, SyncState.synced_version).where(
        SyncState.entity_type == entity_type.value, SyncState.entity_id.in_(entity_ids)
    )
    return {entity_id: version for entity_id, version in (await session.execute(query)).all()}
