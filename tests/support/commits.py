"""Changes committed through the unit of work, as a mutation commits them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.models import Concept
from persistence.sql.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from tasks.publish import OutboxPublisher

__all__ = ["create_concept"]


async def create_concept(
    publisher: OutboxPublisher, sessions: async_sessionmaker[AsyncSession]
) -> uuid.UUID:
    """One concept, its event handed to `publisher` after the commit; returns the event's id."""
    async with UnitOfWork(sessions, publisher) as uow:
        concept = Concept(
            id=uuid.uuid4(),
            name=f"c_{uuid.uuid4().hex[:8]}",
            display_name="C",
            difficulty="beginner",
        )
        uow.session.add(concept)
        uow.record(ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1))
        committed = await uow.commit()
    return committed.ids[0]
