"""Hands committed outbox events to the broker, off the request's critical path.

What it sends is a wake-up for the workers (tasks/wakeup.py): at most one is pending at a time,
and the events of every commit made meanwhile are gathered by the drain it starts, so a burst of
writes costs a Redis SET per send round, not a message per commit. A commit writes its events already `published` (in the same INSERT, so no second transaction
and no row lock a worker's `FOR UPDATE SKIP LOCKED` claim could trip over) and the publisher
enqueues them from a sender thread after the commit. If Redis refuses, the events go back to
`pending` and, until a send succeeds again, commits write their events `pending`: either way
the relay re-sends every open event nobody touched for a while, so nothing committed is lost
and a mutation never waits on, or fails because of, the broker.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from queue import Empty, SimpleQueue
from typing import TYPE_CHECKING

import anyio.to_thread
from sqlalchemy import func, update

from domain.events import SyncEventStatus
from persistence.sql.models import OutboxEvent
from tasks.sync import apply_outbox_events, wake_workers

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Sequence
    from concurrent.futures import Future

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

__all__ = ["DRAIN_SECONDS", "IDLE_SECONDS", "MESSAGE_LIMIT", "OutboxPublisher", "enqueue"]

logger = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
MESSAGE_LIMIT = 500  # events per coalesced message
IDLE_SECONDS = 5.0  # the sender thread ends after this long without work (a new one starts)

# The status the events were written with, their ids, and the committer's context (its trace
# span: the message's send span is its child).
Handed = tuple[str, list["uuid.UUID"], contextvars.Context]
Message = tuple[str, list["uuid.UUID"], contextvars.Context]


def enqueue(event_ids: Sequence[uuid.UUID]) -> None:
    """A message carrying the events, whether or not a wake-up is pending."""
    apply_outbox_events.send([str(event_id) for event_id in event_ids])


class OutboxPublisher:
    """Enqueues committed events from one sender thread it keeps while there is work.

    Handing events over costs the committing coroutine a queue put: no task, no thread hop
    and no wake-up of its event loop. Commits that hand events over while a send is on its
    way are coalesced into the next message (up to MESSAGE_LIMIT events), so a burst of writes
    costs a few messages, and a worker a few wake-ups, instead of one per commit.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Callable[[Sequence[uuid.UUID]], object] = wake_workers,
    ) -> None:
        self._sessions = sessions
        self._send = send
        self._queue: SimpleQueue[Handed] = SimpleQueue()
        self._state = threading.Condition()
        self._unsent = 0  # handed over, not yet sent (or put back)
        self._sending = False  # a sender thread is alive
        self._put_backs: set[Future[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker_up = True

    def status_for_new_events(self) -> SyncEventStatus:
        """`published` while the broker answers; `pending` after a send failed (Redis down)."""
        return SyncEventStatus.PUBLISHED if self._broker_up else SyncEventStatus.PENDING

    def publish_in_background(self, event_ids: Sequence[uuid.UUID], *, status: str) -> None:
        """Enqueue committed events (written with `status`) after the caller moves on."""
        self._loop = asyncio.get_running_loop()  # where a refused send's put-back runs
        with self._state:
            self._unsent += 1
            self._queue.put((status, list(event_ids), contextvars.copy_context()))
            if not self._sending:
                self._sending = True
                threading.Thread(target=self._run, name="outbox-sender", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except Empty:
                with self._state:
                    if self._queue.empty():
                        self._sending = False
                        return
                continue
            handed = [first, *self._taken()]
            for status, ids, context in _messages(handed):
                context.run(self._send_committed, ids, status)
            with self._state:
                self._unsent -= len(handed)
                self._state.notify_all()

    def _taken(self) -> list[Handed]:
        """Everything else handed over by now: it travels in the same messages."""
        taken: list[Handed] = []
        while True:
            try:
                taken.append(self._queue.get_nowait())
            except Empty:
                return taken

    def _send_committed(self, event_ids: list[uuid.UUID], status: str) -> None:
        try:
            self._send(event_ids)
        except Exception as error:
            self._broker_up = False
            logger.warning(
                "could not enqueue %d outbox events (%s); the relay will", len(event_ids), error
            )
            if status == SyncEventStatus.PUBLISHED:
                self._put_back_later(event_ids)
            return
        self._broker_up = True

    def _put_back_later(self, event_ids: list[uuid.UUID]) -> None:
        """Mark them pending on the event loop that committed them (if it still runs)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # they stay published, which the relay re-sends too
        try:
            future = asyncio.run_coroutine_threadsafe(self._put_back(event_ids), loop)
        except RuntimeError:  # the loop closed meanwhile
            return
        self._put_backs.add(future)
        future.add_done_callback(self._put_backs.discard)

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
        if self._unsent:
            await anyio.to_thread.run_sync(self._wait_sent, seconds)
        if self._put_backs:
            await asyncio.wait([asyncio.wrap_future(each) for each in self._put_backs])

    def _wait_sent(self, seconds: float) -> None:
        with self._state:
            self._state.wait_for(lambda: self._unsent == 0, timeout=seconds)

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


def _messages(handed: list[Handed]) -> list[Message]:
    """The handed-over events as messages: per status written, in order, MESSAGE_LIMIT each,
    each sent in the context of the first commit it carries."""
    by_status: dict[str, tuple[list[uuid.UUID], contextvars.Context]] = {}
    for status, ids, context in handed:
        by_status.setdefault(status, ([], context))[0].extend(ids)
    return [
        (status, ids[start : start + MESSAGE_LIMIT], context)
        for status, (ids, context) in by_status.items()
        for start in range(0, len(ids), MESSAGE_LIMIT)
    ]
