"""Coalesced wake-ups: a commit sends one only when none is pending, and no event waits for the
relay (an event the relay re-sent would carry the relay's `published_at`, not its commit's)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select, text

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, OutboxEvent
from persistence.sql.outbox import add_events
from persistence.sql.unit_of_work import UnitOfWork
from tasks.publish import OutboxPublisher
from tasks.sync import wake_workers
from tasks.wakeup import WAKE_KEY, ClientClaims, WakeupClaims, send_wakeup
from tests.support.commits import create_concept
from tests.support.hung_redis import hung_redis
from tests.support.waiting import eventually
from tests.support.workers import running_worker

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from config.settings import Settings


def queued_messages() -> int:
    from tasks.worker import broker

    return int(broker.client.llen(f"{broker.namespace}:sync"))


def applied_by_a_worker(engine: Engine, event_ids: list[uuid.UUID]) -> bool:
    """Every event completed, none of them ever re-sent by the relay."""
    with sync_session_factory(engine)() as session:
        rows = session.execute(
            select(OutboxEvent.status, OutboxEvent.published_at, OutboxEvent.created_at).where(
                OutboxEvent.id.in_(event_ids)
            )
        ).all()
    assert all(row.published_at in (None, row.created_at) for row in rows), "the relay re-sent"
    return len(rows) == len(event_ids) and all(row.status == "completed" for row in rows)


def status_of(engine: Engine, event_id: uuid.UUID) -> str:
    with sync_session_factory(engine)() as session:
        return str(session.scalar(select(OutboxEvent.status).where(OutboxEvent.id == event_id)))


async def test_commits_made_while_a_wake_up_is_pending_send_nothing_and_are_gathered_by_it(
    sessions: async_sessionmaker[AsyncSession], engine: Engine
) -> None:
    # given no worker running yet (the bootstrap admin's events wait in a message of the
    # relay's, which sets no wake-up), and three commits one after the other
    publisher = OutboxPublisher(sessions)
    before = queued_messages()
    events: list[uuid.UUID] = []
    for _ in range(3):
        events.append(await create_concept(publisher, sessions))
        await publisher.drain()  # each its own send round
    # then only the first sent a wake-up; the others found it pending
    assert queued_messages() == before + 1
    # and once a worker starts it, it applies all three
    with running_worker():
        eventually(lambda: applied_by_a_worker(engine, events))


@contextmanager
def entity_held(engine: Engine, concept_id: uuid.UUID) -> Iterator[None]:
    """The advisory lock a batch takes on the concept, held by another session."""
    with engine.connect() as connection:
        key = f"{EntityType.CONCEPT.value}:{concept_id}"
        connection.execute(text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"), {"k": key})
        try:
            yield
        finally:
            connection.execute(
                text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"), {"k": key}
            )
            connection.commit()


def a_batch_waits_for_an_entity(engine: Engine) -> bool:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
    )
    with engine.connect() as connection:
        return bool(connection.scalar(query))


async def test_an_event_committed_while_a_drain_runs_reaches_the_graph_without_waiting_for_it(
    sessions: async_sessionmaker[AsyncSession], engine: Engine
) -> None:
    # given a drain that started and is stuck (another session holds its entity's lock)
    publisher = OutboxPublisher(sessions)
    stuck_concept = uuid.uuid4()
    with running_worker(), entity_held(engine, stuck_concept):
        async with UnitOfWork(sessions, publisher) as uow:
            uow.session.add(
                Concept(id=stuck_concept, name="stuck", display_name="S", difficulty="beginner")
            )
            event = ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(stuck_concept), 1)
            uow.record(event)
            stuck_event = (await uow.commit()).ids[0]
        eventually(lambda: a_batch_waits_for_an_entity(engine))
        # when another change commits meanwhile
        event_id = await create_concept(publisher, sessions)
        await publisher.drain()
        # then it reaches the graph while the first drain is still stuck
        eventually(lambda: applied_by_a_worker(engine, [event_id]))
        assert status_of(engine, stuck_event) == "published"
    # and the stuck one follows once its entity is free
    eventually(lambda: applied_by_a_worker(engine, [stuck_event]))


def open_events_of_gone_concepts(engine: Engine, count: int) -> list[uuid.UUID]:
    events = [
        ChangeEvent(EventType.ENTITY_DELETED, EntityType.CONCEPT, str(uuid.uuid4()), 2)
        for _ in range(count)
    ]
    with sync_session_factory(engine).begin() as session:
        return add_events(session, events)


def test_a_drain_whose_gather_was_full_goes_on_until_the_outbox_is_drained(
    engine: Engine, settings: Settings
) -> None:
    # given more open events than one batch gathers, and a single wake-up
    events = open_events_of_gone_concepts(engine, 2 * settings.sync_gather_limit + 50)
    assert wake_workers([]) is True
    assert wake_workers([]) is False  # one is pending already
    # when a worker runs
    with running_worker():
        # then every event is applied, none by the relay, and the drain's wake-ups are all
        # taken (a message a stopping worker had fetched goes back to the queue, so this is
        # read while it runs)
        eventually(lambda: applied_by_a_worker(engine, events), timeout=60)
        eventually(lambda: queued_messages() == 0)


def test_a_worker_starting_a_drain_lets_the_next_commit_send_a_wake_up(engine: Engine) -> None:
    from tasks.worker import broker

    # given a pending wake-up
    assert wake_workers([]) is True
    assert broker.client.exists(WAKE_KEY)
    # when a worker starts it
    with running_worker():
        eventually(lambda: queued_messages() == 0 and not broker.client.exists(WAKE_KEY))
    # then the next commit's wake-up is sent
    assert wake_workers([]) is True


def refused_send() -> None:
    raise ConnectionError("the broker refused the message")


def test_the_publisher_and_the_workers_claim_the_same_wake_up(settings: Settings) -> None:
    from tasks.worker import broker

    # given the API's kept connection and a worker's client
    publisher, worker = WakeupClaims(settings.redis_url), ClientClaims(broker.client)
    try:
        # when the publisher claims, the worker finds it pending, and the other way round
        assert publisher.claim() is True
        assert worker.claim() is False
        publisher.release()
        assert worker.claim() is True
        assert publisher.claim() is False
    finally:
        publisher.close()


@pytest.mark.parametrize("kept", [True, False], ids=["publisher", "worker"])
def test_a_wake_up_whose_send_failed_is_released_for_the_next_commit(
    settings: Settings, kept: bool
) -> None:
    from tasks.worker import broker

    claims = WakeupClaims(settings.redis_url) if kept else ClientClaims(broker.client)
    # given a claimed wake-up whose message the broker refuses
    with pytest.raises(ConnectionError):
        send_wakeup(claims, refused_send)
    # then the claim is let go: the next commit sends a wake-up
    sent: list[bool] = []
    assert send_wakeup(claims, lambda: sent.append(True)) is True
    assert sent == [True]
    # and one pending sends nothing more
    assert send_wakeup(claims, lambda: sent.append(True)) is False
    assert sent == [True]


# A worker's batch, run as a worker thread runs a message, in a process whose broker is `REDIS_URL`.
BATCH_IN_A_WORKER = """
import sys
from tasks.sync import apply_outbox_events
apply_outbox_events([])
sys.stdin.read()  # stays alive (its wake-up still waiting) until the test is done
"""


@contextmanager
def worker_process(redis_url: str, gather: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "REDIS_URL": redis_url, "SYNC_GATHER_LIMIT": str(gather)}
    process = subprocess.Popen(
        [sys.executable, "-c", BATCH_IN_A_WORKER], env=env, stdin=subprocess.PIPE
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait()
        assert process.stdin is not None
        process.stdin.close()


def locks_held(engine: Engine) -> int:
    """Row and advisory locks other sessions hold on the outbox and its entities."""
    query = text(
        "SELECT count(*) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid <> pg_backend_pid() AND l.granted "
        "AND (l.locktype = 'advisory' OR c.relname = 'outbox_events')"
    )
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_a_full_batch_holds_no_lock_while_its_early_wake_up_waits_for_a_hung_redis(
    engine: Engine,
) -> None:
    # given more open events than a batch gathers, and a Redis that never answers a SET
    gather = 5
    events = open_events_of_gone_concepts(engine, gather + 3)
    with hung_redis() as redis_server, worker_process(redis_server.url, gather):
        # when a worker's batch gathers a full batch and sends its early wake-up
        eventually(lambda: redis_server.first_set_unanswered() is not None, timeout=60)
        # then the batch commits while the wake-up is still waiting for Redis's answer
        eventually(lambda: applied_by_a_worker(engine, events), timeout=60)
        assert redis_server.first_set_unanswered() is True
        assert locks_held(engine) == 0
