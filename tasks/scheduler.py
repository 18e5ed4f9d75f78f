"""The periodic schedule: APScheduler's interval triggers send a Dramatiq message per tick.

Every worker process runs a Scheduler, but only the one holding the leader lock in Redis fires:
a tick sends `run_periodic(name)` (tasks/periodic.py), which any worker thread then runs. The
lock is a lease (redis-py's Lock with a timeout) that its holder renews every third of it; a
worker that dies or stops lets it go, and another one takes over within a lease. A holder that
cannot renew (Redis down, the lease expired) stops firing at once, so two schedulers never both
fire. A tick whose send fails is logged and skipped: the next one sends again.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import dramatiq
import redis
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from redis.exceptions import LockError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "LEADER_KEY",
    "LEASE_SECONDS",
    "LeaderLock",
    "PeriodicJob",
    "Scheduler",
    "SchedulerMiddleware",
]

logger = logging.getLogger(__name__)
LEASE_SECONDS = 15.0
LEADER_KEY = "learngraph:scheduler:leader"
# A lease counts as held for this share of it after a renewal: a holder stalled past it stops
# firing before the key expires and another scheduler may take it.
HELD_SHARE = 0.8


@dataclass(frozen=True)
class PeriodicJob:
    """Run `run()` about every `interval_seconds` (0: never), on one worker of all.

    `at_start`: the first tick comes when the scheduler starts, else one interval later.
    """

    name: str
    interval_seconds: float
    run: Callable[[], object]
    at_start: bool = True


class LeaderLock:
    """The leader's lease in Redis (SET NX PX with a token, renewed by its holder)."""

    def __init__(
        self, client: redis.Redis, *, key: str = LEADER_KEY, lease_seconds: float = LEASE_SECONDS
    ) -> None:
        self.lease_seconds = lease_seconds
        self._lock = client.lock(key, timeout=lease_seconds, blocking=False, thread_local=False)
        self._held_until = 0.0

    def held(self) -> bool:
        """Whether this scheduler may fire now."""
        return time.monotonic() < self._held_until

    def renew(self) -> bool:
        """Keep the lease, or take it if it is free; False (and not held) if neither works."""
        renewed_at = time.monotonic()
        try:
            held = self._extend() or bool(self._lock.acquire(token=uuid.uuid4().hex))
        except redis.RedisError as error:
            logger.warning("scheduler: the leader lock is unreachable (%s); not firing", error)
            held = False
        self._held_until = renewed_at + self.lease_seconds * HELD_SHARE if held else 0.0
        return held

    def release(self) -> None:
        self._held_until = 0.0
        # Not ours any more, or Redis is away: the lease expires by itself.
        with contextlib.suppress(LockError, redis.RedisError):
            self._lock.release()

    def _extend(self) -> bool:
        if self._lock.local.token is None:
            return False
        try:
            self._lock.reacquire()
        except LockError:  # expired, or taken by another scheduler meanwhile
            return False
        return True


class Scheduler:
    """APScheduler with one interval trigger per job; a tick sends the job while leading."""

    def __init__(
        self,
        jobs: Sequence[PeriodicJob],
        leader: LeaderLock,
        send: Callable[[PeriodicJob], None],
    ) -> None:
        self.jobs = [job for job in jobs if job.interval_seconds > 0]
        self._leader = leader
        self._send = send
        self._apscheduler = BackgroundScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
        )

    def start(self) -> None:
        self._leader.renew()  # before the first ticks, which fire only while leading
        now = datetime.now(UTC)
        self._add(self._leader.renew, "leader-lease", self._leader.lease_seconds / 3, None)
        for job in self.jobs:
            self._add(
                self._fire, job.name, job.interval_seconds, now if job.at_start else None, job
            )
        self._apscheduler.start()

    def stop(self) -> None:
        """Stop ticking (waiting for a send under way), then let the lease go."""
        if self._apscheduler.running:
            self._apscheduler.shutdown(wait=True)
        self._leader.release()

    def _add(
        self,
        action: Callable[..., object],
        name: str,
        seconds: float,
        first: datetime | None,
        *args: Any,
    ) -> None:
        when = {"next_run_time": first} if first is not None else {}
        trigger = IntervalTrigger(seconds=seconds, timezone=UTC)
        self._apscheduler.add_job(action, trigger, args=args, id=name, name=name, **when)

    def _fire(self, job: PeriodicJob) -> None:
        if not self._leader.held():
            return
        try:
            self._send(job)
        except Exception as error:
            logger.warning("scheduled %s not sent (%s); the next tick sends again", job.name, error)


class SchedulerMiddleware(dramatiq.Middleware):
    """Starts a Scheduler when a worker boots and stops it when the worker shuts down.

    `jobs` is called at boot (so settings are read in the worker process); the leader lock
    lives in the broker's Redis.
    """

    def __init__(
        self,
        jobs: Callable[[], Sequence[PeriodicJob]],
        send: Callable[[PeriodicJob], None],
    ) -> None:
        self._jobs = jobs
        self._send = send
        self._scheduler: Scheduler | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._scheduler = Scheduler(self._jobs(), LeaderLock(_broker_client(broker)), self._send)
        self._scheduler.start()
        names = ", ".join(job.name for job in self._scheduler.jobs) or "none"
        logger.info("scheduler started (jobs: %s)", names)

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None


def _broker_client(broker: dramatiq.Broker) -> redis.Redis:
    client = getattr(broker, "client", None)
    if not isinstance(client, redis.Redis):
        raise TypeError("the scheduler's leader lock needs a Redis broker")
    return client
