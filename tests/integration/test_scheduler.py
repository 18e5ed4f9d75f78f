"""The schedule on real Redis: one scheduler of several fires, another takes over when it stops,
and a worker's tick really runs its job."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import redis
from sqlalchemy import func, select, update

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, OutboxEvent
from persistence.sql.outbox import add_events
from tasks.scheduler import LEADER_KEY, LeaderLock, PeriodicJob, Scheduler
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterator

    import dramatiq
    from sqlalchemy import Engine

    from config.settings import Settings

TICK = PeriodicJob("tick", 0.1, lambda: None)


class Recorder:
    """A scheduler's sends, counted (they run on APScheduler's threads)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, job: PeriodicJob) -> None:
        with self._lock:
            self.sent.append(job.name)


def _scheduler(settings: Settings, recorder: Recorder, lease: float = 1.5) -> Scheduler:
    client = redis.Redis.from_url(settings.redis_url)
    return Scheduler([TICK], LeaderLock(client, lease_seconds=lease), recorder)


def test_of_two_schedulers_on_one_redis_only_one_fires(settings: Settings) -> None:
    # given two schedulers (two worker processes) with the same job
    first, second = Recorder(), Recorder()
    schedulers = [_scheduler(settings, first), _scheduler(settings, second)]
    for scheduler in schedulers:
        scheduler.start()
    try:
        # when the job has ticked several times over more than a lease renewal
        eventually(lambda: len(first.sent) + len(second.sent) >= 10, timeout=10)
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    # then every tick came from one of them
    assert sorted([len(first.sent), len(second.sent)])[0] == 0


def test_when_the_leader_stops_another_scheduler_takes_over(settings: Settings) -> None:
    # given a leading scheduler and a second one waiting
    first, second = Recorder(), Recorder()
    leader = _scheduler(settings, first)
    leader.start()
    follower = _scheduler(settings, second)
    follower.start()
    try:
        eventually(lambda: len(first.sent) >= 3, timeout=10)
        assert second.sent == []
        # when the leader stops (a worker shutting down)
        leader.stop()
        stopped_at = len(first.sent)
        # then the other one fires from its next lease renewal on, and the first never again
        eventually(lambda: len(second.sent) >= 3, timeout=10)
        assert len(first.sent) == stopped_at
    finally:
        leader.stop()
        follower.stop()


def test_a_leader_whose_lease_was_taken_stops_firing(settings: Settings) -> None:
    # given a leading scheduler
    recorder = Recorder()
    client = redis.Redis.from_url(settings.redis_url)
    lease = LeaderLock(client, lease_seconds=1.5)
    scheduler = Scheduler([TICK], lease, recorder)
    scheduler.start()
    try:
        eventually(lambda: len(recorder.sent) >= 2, timeout=10)
        # when its lease is taken from it (it expired while it stalled; another took it)
        client.set(LEADER_KEY, "another-scheduler")
        # then at its next renewal it lets go, and fires no more while the other holds it
        eventually(lambda: not lease.held(), timeout=5)
        fired = len(recorder.sent)
        time.sleep(1.0)  # ten ticks' worth of quiet
        assert len(recorder.sent) == fired
        assert client.get(LEADER_KEY) == b"another-scheduler"
    finally:
        scheduler.stop()
        client.delete(LEADER_KEY)
        client.close()


def _stuck_event(engine: Engine) -> uuid.UUID:
    with sync_session_factory(engine).begin() as session:
        concept = Concept(name="scheduled", display_name="Scheduled", difficulty="beginner")
        session.add(concept)
        session.flush()
        event = ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1)
        (event_id,) = add_events(session, [event])
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(updated_at=func.now() - timedelta(hours=1))
        )
    return event_id


def _status(engine: Engine, event_id: uuid.UUID) -> str | None:
    with sync_session_factory(engine)() as session:
        return session.scalar(select(OutboxEvent.status).where(OutboxEvent.id == event_id))


def test_a_workers_schedule_relays_a_stuck_event_with_nobody_asking(
    engine: Engine, worker: Iterator[dramatiq.Worker]
) -> None:
    # given an event committed an hour ago and never sent (Redis was down at commit time)
    event_id = _stuck_event(engine)
    # when a worker runs (its scheduler ticks the relay, whose message a worker thread runs)
    # then the event reaches the graph
    eventually(lambda: _status(engine, event_id) == "completed", timeout=30)
