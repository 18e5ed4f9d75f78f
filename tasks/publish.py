"""Wakes the sync workers for committed outbox events, off the request's critical path.

A commit writes its events already `published` (in the same INSERT, so no second transaction
and no row lock a worker's `FOR UPDATE SKIP LOCKED` claim could trip over) and hands their ids
to a sender thread. What the thread sends is a wake-up (tasks/wakeup.py): at most one is pending
at a time and the drain it starts gathers every open event, so a round of the thread claims the
wake-up with one Redis SET and sends a message only when none was pending. Rounds are at least
ROUND_SECONDS apart, so a burst of commits shares one. If Redis refuses, the round's events go
back to `pending` and, until a round succeeds again, commits write their events `pending`:
either way the relay re-sends every open event nobody touched for a while, so nothing committed
is lost and a mutation never waits on, or fails because of, the broker.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from functools import partial
from queue import Empty, SimpleQueue
from typing import TYPE_CHECKING, Protocol

import anyio.to_thread
from sqlalchemy import func, update

from config.settings import get_settings
from domain.events import SyncEventStatus
from persistence.sql.models import OutboxEvent
from tasks.sync import apply_outbox_events
from tasks.wakeup import Claims, WakeupClaims, send_wakeup

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
# A send round (a Redis SET, rarely a message) at most this often: the commits of a burst share
# one, and the thread's GIL hand-overs with the event loop stay few. A commit after a quiet
# spell is sent at once; one during a burst waits at most this long (off the caller's path).
ROUND_SECONDS = 0.02

# The status the events were written with, their ids, and the committer's context (its trace
# span: the message's send span is its child).
Handed = tuple[str, list["uuid.UUID"], contextvars.Context]


class PublisherClaims(Claims, Protocol):
    """The claims a publisher keeps (tasks/wakeup.py WakeupClaims), closed at shutdown."""

    def close(self) -> None: ...


def enqueue(event_ids: Sequence[uuid.UUID]) -> None:
    """A message carrying the events, whether or not a wake-up is pending."""
    apply_outbox_events.send([str(event_id) for event_id in event_ids])


class OutboxPublisher:
    """Wakes the workers for committed events from one sender thread it keeps while there is
    work.

    Handing events over costs the committing coroutine a queue put: no task, no thread hop
    and no wake-up of its event loop. A round of the thread takes everything handed over by
    then; a wake-up it sends carries up to MESSAGE_LIMIT of their ids (the drain gathers the
    rest). `send` sends one message; `claims` tells whether one is due (both replaceable in
    tests).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Callable[[Sequence[uuid.UUID]], object] = enqueue,
        claims: PublisherClaims | None = None,
    ) -> None:
        self._sessions = sessions
        self._send = send
        self._claims = claims if claims is not None else WakeupClaims(get_settings().redis_url)
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
            started = time.monotonic()
            handed = [first, *self._taken()]
            self._send_round(handed)
            with self._state:
                self._unsent -= len(handed)
                self._state.notify_all()
            time.sleep(max(0.0, started + ROUND_SECONDS - time.monotonic()))

    def _taken(self) -> list[Handed]:
        """Everything else handed over by now: it travels in the same messages."""
        taken: list[Handed] = []
        while True:
            try:
                taken.append(self._queue.get_nowait())
            except Empty:
                return taken

    def _send_round(self, handed: list[Handed]) -> None:
        """One wake-up for everything handed over, unless one is pending (tasks/wakeup.py);
        it carries the first MESSAGE_LIMIT ids, in the first commit's trace context."""
        ids = [event_id for _, handed_ids, _ in handed for event_id in handed_ids]
        try:
            handed[0][2].run(send_wakeup, self._claims, partial(self._send, ids[:MESSAGE_LIMIT]))
        except Exception as error:
            self._broker_up = False
            logger.warning(
                "could not wake the workers for %d outbox events (%s); the relay will",
                len(ids),
                error,
            )
            published = [
                event_id
                for status, handed_ids, _ in handed
                if status == SyncEventStatus.PUBLISHED
                for event_id in handed_ids
            ]
            if published:
                self._put_back_later(published)
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
        """Wait for the rounds still running (at shutdown), then close the claims' connection;
        the relay covers what times out."""
        if self._unsent:
            await anyio.to_thread.run_sync(self._wait_sent, seconds)
        if self._put_backs:
            await asyncio.wait([asyncio.wrap_future(each) for each in self._put_backs])
        self._claims.close()  # a later round connects again

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
