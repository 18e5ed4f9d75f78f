"""A unit of work: one PostgreSQL transaction holding the changes and their outbox events."""

from __future__ import annotations

import logging
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from config.tracing import carrier, tracer, tracing_active
from domain.events import SyncEventStatus
from persistence.sql.audit import Actor, AuditNote, append_entries, audit_rows
from persistence.sql.bookkeeping import Bookkeeper
from persistence.sql.outbox_commit import commit_with_outbox
from persistence.sql.principal_writes import PrincipalWrites

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager
    from types import TracebackType

    from opentelemetry.trace import Span
    from sqlalchemy.engine import Result
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
    from sqlalchemy.orm import ORMExecuteState, UOWTransaction

    from domain.events import ChangeEvent
    from persistence.sql.tracking import Tracking

__all__ = ["CommittedEvents", "Publisher", "UnitOfWork", "WorkSession"]

logger = logging.getLogger(__name__)
WORK = "unit_of_work"  # the key under which a WorkSession's info holds its unit of work


@dataclass(frozen=True)
class CommittedEvents:
    """The outbox rows a commit wrote: their ids (for the broker) and sequence numbers."""

    ids: list[uuid.UUID] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)


class Publisher(Protocol):
    """Hands committed outbox events to the broker (tasks/publish.py OutboxPublisher)."""

    def status_for_new_events(self) -> str:
        """The status a commit writes its events with: `published` or `pending`."""
        ...

    def publish_in_background(self, event_ids: Sequence[uuid.UUID], *, status: str) -> None:
        """Enqueue committed events without making the caller wait; never raises for Redis."""
        ...

    async def __call__(self, event_ids: Sequence[uuid.UUID]) -> None:
        """Mark pending events published and enqueue them, awaited; raises if Redis refuses."""
        ...

    async def drain(self, seconds: float = ...) -> None:
        """Wait for background sends still running (at shutdown)."""
        ...


class UnitOfWork:
    """Commits rows and outbox events as a whole, then hands the events to the publisher.

    Leaving the block without commit() rolls everything back. The events are enqueued in the
    background after the commit, so the broker never delays or fails the write; what it does
    not take, the relay re-sends. With `tracking` (persistence/sync/tracking.py) the work does
    its own bookkeeping (persistence/sql/bookkeeping.py): every row it writes gets its version
    moved and its event recorded; without, the caller records its events.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publish: Publisher,
        actor: Actor | None = None,
        *,
        tracking: Tracking | None = None,
    ) -> None:
        self._sessions = sessions
        self._publish = publish
        self._actor = actor
        self._bookkeeper = Bookkeeper(tracking, self.record) if tracking is not None else None
        self._events: list[ChangeEvent] = []
        self._notes: list[AuditNote] = []
        self._wrote = False
        self._principals = PrincipalWrites()
        self.correlation_id = uuid.uuid4()
        self.committed = CommittedEvents()

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions(sync_session_class=WorkSession)
        self.session.sync_session.info[WORK] = self
        self.session.sync_session.begin()  # no IO (the connection comes with the first statement)
        return self

    # The hooks of its WorkSession (below): the bookkeeping, and whether the work wrote at all.

    def before_flush(self, session: Session, context: UOWTransaction) -> None:
        if self._bookkeeper is not None:
            self._bookkeeper.before_flush(session, context, None)

    def after_flush(self, session: Session, context: UOWTransaction) -> None:
        if session.new or session.dirty or session.deleted:
            self._wrote = True
            self._principals.flushed(session)
        if self._bookkeeper is not None:
            self._bookkeeper.after_flush(session, context)

    def on_statement(self, state: ORMExecuteState) -> Result[Any] | None:
        if state.is_insert or state.is_update or state.is_delete:
            self._wrote = True
            self._principals.statement(state)
        return self._bookkeeper.on_statement(state) if self._bookkeeper is not None else None

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
        """Adds an event the bookkeeping cannot see (a change it does not make itself)."""
        self._events.append(event)

    def audit(self, note: AuditNote) -> None:
        """Appends an audit entry with the change (by default an audited actor's write gets
        one named after its operation)."""
        self._notes.append(note)

    async def commit(self) -> CommittedEvents:
        with _span() as span:
            status = await self.session.run_sync(self._flush_and_commit)
            self._principals.committed()  # this process's token caches, at once
            if span is not None:
                span.set_attribute("outbox.events", len(self.committed.ids))
                span.set_attribute("outbox.correlation_id", str(self.correlation_id))
            self._events.clear()
            self._notes.clear()
            self._wrote = False
            if self.committed.ids:
                self._log_committed()
                self._hand_over(self.committed.ids, status)
        return self.committed

    def _flush_and_commit(self, session: Session) -> str:
        """Flush, append the audit entries, commit with the outbox rows: one greenlet hop for
        all of it (each `await` on the AsyncSession is one). Returns the events' status."""
        session.flush()
        if self._bookkeeper is not None:
            self._bookkeeper.links.check(self._events)
        rows = audit_rows(self._actor, self._notes, self._events, wrote=self._wrote)
        status = self._publish.status_for_new_events() if self._events else SyncEventStatus.PENDING
        append_entries(session, rows)
        self.committed = self._commit_with_outbox(session, status)
        return status

    def _log_committed(self) -> None:
        if logger.isEnabledFor(logging.INFO):
            ids = [str(event_id) for event_id in self.committed.ids]
            correlation = {"correlation_id": str(self.correlation_id), "event_ids": ids}
            logger.info("outbox events committed", extra=correlation)

    def _hand_over(self, ids: Sequence[uuid.UUID], status: str) -> None:
        try:
            self._publish.publish_in_background(ids, status=status)
        except Exception:  # the write is committed; the relay re-sends what was not enqueued
            logger.warning("could not hand over %d outbox events; the relay will", len(ids))

    async def rollback(self) -> None:
        self._events.clear()
        self._notes.clear()
        self._principals.forget()
        await self.session.rollback()

    def _commit_with_outbox(self, session: Session, status: str) -> CommittedEvents:
        """Commit, the outbox rows (if any) travelling with the COMMIT in one round trip."""
        if not self._events:
            session.commit()
            return CommittedEvents()
        written = commit_with_outbox(
            session,
            self._events,
            correlation_id=self.correlation_id,
            status=status,
            trace_context=carrier(),
        )
        return CommittedEvents(ids=[row[0] for row in written], seqs=[row[1] for row in written])


def _span() -> AbstractContextManager[Span | None]:
    """The commit's trace span, or none at all when nothing is traced (not even a no-op one)."""
    if not tracing_active():
        return nullcontext(None)
    return tracer(__name__).start_as_current_span("unit_of_work.commit")


class WorkSession(Session):
    """The session a unit of work opens. Its hooks are registered once, on this class, and find
    their unit of work in the session's `info`: listening on each new session costs more than
    a small write does."""


def _work(session: Session) -> UnitOfWork | None:
    work: UnitOfWork | None = session.info.get(WORK)
    return work


@event.listens_for(WorkSession, "before_flush")
def _before_flush(session: Session, context: UOWTransaction, instances: object) -> None:
    work = _work(session)
    if work is not None:
        work.before_flush(session, context)


@event.listens_for(WorkSession, "after_flush")
def _after_flush(session: Session, context: UOWTransaction) -> None:
    work = _work(session)
    if work is not None:
        work.after_flush(session, context)


@event.listens_for(WorkSession, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> Result[Any] | None:
    work = _work(state.session)
    return work.on_statement(state) if work is not None else None
