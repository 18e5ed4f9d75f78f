"""Hands committed outbox events to the broker and marks them published."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import anyio.to_thread
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from persistence.sql.models import OutboxEvent
from tasks.sync import apply_outbox_events

__all__ = ["OutboxPublisher", "enqueue"]


def enqueue(event_ids: Sequence[uuid.UUID]) -> None:
    apply_outbox_events.send([str(event_id) for event_id in event_ids])


class OutboxPublisher:
    """Enqueues one message per commit; Redis being down raises, and the relay takes over."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __call__(self, event_ids: Sequence[uuid.UUID]) -> None:
        await anyio.to_thread.run_sync(enqueue, event_ids)
        async with self._sessions.begin() as session:
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status == "pending")
                .values(status="published", published_at=func.now(), updated_at=func.now())
            )
