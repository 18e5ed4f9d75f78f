"""Hands committed outbox events to the broker, off the request's critical path.

A commit writes its events already `published` (in the same INSERT, so no second transaction
and no row lock a worker's `FOR UPDATE SKIP LOCKED` claim could trip over) and the publisher
enqueues them in a background task after the commit. If Redis refuses, the task puts them
back to `pending` and, until a send succeeds again, commits write their events `pending`:
either way the relay re-sends every open event nobody touched for a while, so nothing
committed is lost and a mutation never waits on, or fails because of, the broker.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import anyio.to_thread
from sqlalchemy import func, update

from domain.events import SyncEventStatus
from persistence.sql.models import OutboxEvent
from tasks.sync import apply_outbox_events

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Sequence

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

__all__ = ["DRAIN_SECONDS", "MESSAGE_LIMIT", "OutboxPublisher", "enqueue"]

logger = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
MESSAGE_LIMIT = 500  # events per coalesced message


def enqueue(event_ids: Sequence[uuid.UUID]) -> None:
    apply_outbox_events.send([str(event_id) for event_id in event_ids])


class OutboxPublisher:
    """Enqueues committed events from one background sender task it keeps until done (or
    drained). Commits that hand events over while a send is on its way are coalesced into the
    next message (up to MESSAGE_LIMIT events), so a burst of writes costs a few messages, and
    a worker a few wake-ups, instead of one per commit.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Callable[[Sequence[uuid.UUID]], None] = enqueue,
    ) -> None:
        self._sessions = sessions
        self._send = send
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: dict[str, list[uuid.UUID]] = {}  # status written -> ids to send
        self._broker_up = True

    def status_for_new_events(self) -> SyncEventStatus:
        """`published` while the broker answers; `pending` after a send failed (Redis down)."""
        return SyncEventStatus.PUBLISHED if self._broker_up else SyncEventStatus.PENDING

    def publish_in_background(self, event_ids: Sequence[uuid.UUID], *, status: str) -> None:
        """Enqueue committed events (written with `status`) after the caller moves on."""
        self._waiting.setdefault(status, []).extend(event_ids)
        if not self._tasks:
            task = asyncio.get_running_loop().create_task(self._send_waiting())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send_waiting(self) -> None:
        while self._waiting:
            status, ids = next(iter(self._waiting.items()))
            batch, rest = ids[:MESSAGE_LIMIT], ids[MESSAGE_LIMIT:]
            if rest:
                self._waiting[status] = rest
            else:
                del self._waiting[status]
            await self._send_committed(batch, status)

    async def __call__(self, event_ids: Sequence[uuid.UUID]) -> None:
        """Mark pending events published, then enqueue them, awaited (admin retries, CLI).

        Raises if Redis refuses; the events are pending again then, for the relay.
        """
        await self._move(event_ids, SyncEventStatus.PENDING, SyncEventStatus.PUBLISHED)
        try:
            await anyio.to_thread.run_sync(self._send, event_ids)
        except Exception:
            await self._move(event_ids, SyncEventStatus.PUBLISHED, SyncEventStatus.PENDING)
            raise

    async def drain(self, seconds: float = DRAIN_SECONDS) -> None:
        """Wait for the sends still running (at shutdown); the relay covers what times out."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)

    async def _send_committed(self, event_ids: list[uuid.UUID], status: str) -> None:
        try:
            await anyio.to_thread.run_sync(self._send, event_ids)
        except Exception as error:
            self._broker_up = False
            logger.warning(
                "could not enqueue %d outbox events (%s); the relay will", len(event_ids), error
            )
            if status == SyncEventStatus.PUBLISHED:
                await self._put_back(event_ids)
            return
        self._broker_up = True

    async def _put_back(self, event_ids: list[uuid.UUID]) -> None:
        try:
            await self._move(event_ids, SyncEventStatus.PUBLISHED, SyncEventStatus.PENDING)
        except Exception:  # PostgreSQL down too: they stay published, which the relay re-sends
            logger.warning("could not mark %d unsent events pending", len(event_ids))

    async def _move(self, event_ids: Sequence[uuid.UUID], before: str, after: str) -> None:
        published_at = func.now() if after == SyncEventStatus.PUBLISHED else None
        async with self._sessions.begin() as session:
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status == before)
                .values(status=after, published_at=published_at, updated_at=func.now())
            )
