"""A unit of work: one PostgreSQL transaction holding the changes and their outbox events."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.events import ChangeEvent
from persistence.sql.models import OutboxEvent
from persistence.sql.outbox import outbox_row

__all__ = ["CommittedEvents", "Publisher", "UnitOfWork"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommittedEvents:
    """The outbox rows a commit wrote: their ids (for the broker) and sequence numbers."""

    ids: list[uuid.UUID] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)


Publisher = Callable[[Sequence[uuid.UUID]], Awaitable[None]]


class UnitOfWork:
    """Commits rows and outbox events as a whole, then hands the events to the publisher.

    Leaving the block without commit() rolls everything back. A publisher failure after the
    commit is the relay's job to heal, so it never undoes or fails the write.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], publish: Publisher) -> None:
        self._sessions = sessions
        self._publish = publish
        self._events: list[ChangeEvent] = []
        self.correlation_id = uuid.uuid4()
        self.committed = CommittedEvents()

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.session.in_transaction():
            await self.session.rollback()
        await self.session.close()

    def record(self, event: ChangeEvent) -> None:
        self._events.append(event)

    async def commit(self) -> CommittedEvents:
        await self.session.flush()
        self.committed = await self._write_outbox()
        await self.session.commit()
        self._events.clear()
        if self.committed.ids:
            await self._hand_over(self.committed.ids)
        return self.committed

    async def _hand_over(self, ids: Sequence[uuid.UUID]) -> None:
        try:
            await self._publish(ids)
        except Exception:  # the write is committed; the relay re-sends what was not enqueued
            logger.warning("could not enqueue %d outbox events; the relay will", len(ids))

    async def rollback(self) -> None:
        self._events.clear()
        await self.session.rollback()

    async def _write_outbox(self) -> CommittedEvents:
        if not self._events:
            return CommittedEvents()
        rows = [outbox_row(event, self.correlation_id) for event in self._events]
        result = await self.session.execute(
            insert(OutboxEvent).returning(OutboxEvent.id, OutboxEvent.seq), rows
        )
        written = result.all()
        return CommittedEvents(ids=[row.id for row in written], seqs=[row.seq for row in written])
