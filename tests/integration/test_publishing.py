"""Handing committed events to the broker: off the request's path, and never losing one."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from persistence.sql.database import (
    sync_session_factory,
)
from persistence.sql.models import OutboxEvent
from tasks.publish import OutboxPublisher, enqueue
from tests.support.commits import create_concept
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


Send = Callable[[Sequence[uuid.UUID]], None]


def status_of(engine: Engine, event_id: uuid.UUID) -> str:
    with sync_session_factory(engine)() as session:
        return str(session.scalar(select(OutboxEvent.status).where(OutboxEvent.id == event_id)))


def refused(event_ids: Sequence[uuid.UUID]) -> None:
    raise ConnectionError("Redis is down")


async def test_a_commit_returns_without_waiting_for_the_broker_and_its_event_still_completes(
    sessions: async_sessionmaker[AsyncSession], engine: Engine, worker: dramatiq.Worker
) -> None:
    # given a broker that takes its time
    released = threading.Event()

    def slow(event_ids: Sequence[uuid.UUID]) -> None:
        released.wait(10)
        enqueue(event_ids)

    publisher = OutboxPublisher(sessions, send=slow)
    # when a change commits
    started = time.monotonic()
    event_id = await create_concept(publisher, sessions)
    # then the commit returned before the send, with its event already marked published
    assert time.monotonic() - started < 5
    assert status_of(engine, event_id) == "published"
    # and once the broker takes it, a worker completes it
    released.set()
    await publisher.drain()
    eventually(lambda: status_of(engine, event_id) == "completed")


async def test_when_the_broker_refuses_events_go_back_to_pending_and_later_ones_stay_pending(
    sessions: async_sessionmaker[AsyncSession], engine: Engine
) -> None:
    # given a broker that refuses every message
    publisher = OutboxPublisher(sessions, send=refused)
    # when two changes commit, one after the other
    first = await create_concept(publisher, sessions)
    await publisher.drain()
    second = await create_concept(publisher, sessions)
    await publisher.drain()
    # then both events wait, pending, for the relay
    assert (status_of(engine, first), status_of(engine, second)) == ("pending", "pending")


async def test_once_the_broker_answers_again_commits_are_published_again(
    sessions: async_sessionmaker[AsyncSession], engine: Engine
) -> None:
    # given a publisher that saw the broker refuse, then recover
    sent: list[uuid.UUID] = []
    answers = {"up": False}

    def flaky(event_ids: Sequence[uuid.UUID]) -> None:
        if not answers["up"]:
            raise ConnectionError("Redis is down")
        sent.extend(event_ids)

    publisher = OutboxPublisher(sessions, send=flaky)
    await create_concept(publisher, sessions)
    await publisher.drain()
    answers["up"] = True
    recovering = await create_concept(publisher, sessions)
    await publisher.drain()
    # when another change commits
    later = await create_concept(publisher, sessions)
    await publisher.drain()
    # then the one committed while it was down is sent (pending until a worker completes it)
    # and the later one is published, left to the wake-up still pending (no worker runs)
    assert sent == [recovering]
    assert (status_of(engine, recovering), status_of(engine, later)) == ("pending", "published")
