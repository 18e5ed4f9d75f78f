"""Handing committed events to the broker: off the request's path, and never losing one."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import (
    async_session_factory,
    make_async_engine,
    sync_session_factory,
)
from persistence.sql.models import Concept, OutboxEvent
from persistence.sql.unit_of_work import UnitOfWork
from tasks.publish import OutboxPublisher, enqueue
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from config.settings import Settings

Send = Callable[[Sequence[uuid.UUID]], None]


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_async_engine(settings.database_url, pool_size=2)
    yield async_session_factory(engine)
    await engine.dispose()


async def create_concept(
    publisher: OutboxPublisher, sessions: async_sessionmaker[AsyncSession]
) -> uuid.UUID:
    """One concept through the unit of work, as a mutation writes it; returns its event id."""
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
