"""A small scheduler for periodic jobs inside Dramatiq workers (Dramatiq has none).

Every worker process runs a daemon thread that ticks each job at its interval. Before running,
a tick takes a lock named after the job (Redis SET NX PX) that lives for most of the interval,
so however many workers run, about one of them runs a job per interval. A tick whose lock store
or job fails is logged and skipped; the next tick tries again. A job that runs longer than its
interval may overlap with a run on another worker, so jobs must tolerate that (the relay does).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import dramatiq
import redis

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "LOCK_SHARE",
    "PeriodicJob",
    "RedisTickLock",
    "Scheduler",
    "SchedulerMiddleware",
    "TickLock",
]

logger = logging.getLogger(__name__)

# A lock outlives most of the interval, but not all of it, so the next tick finds it free.
LOCK_SHARE = 0.9
KEY_PREFIX = "learngraph:schedule:"


@dataclass(frozen=True)
class PeriodicJob:
    """Run `run()` about every `interval_seconds`, on one worker of all."""

    name: str
    interval_seconds: float
    run: Callable[[], object]


class TickLock(Protocol):
    def acquire(self, name: str, ttl_seconds: float) -> bool:
        """True if this caller holds `name` for the next ttl_seconds; raises if unreachable."""
        ...


class RedisTickLock:
    """SET key token NX PX ttl: the first worker of a tick wins; the key expires by itself."""

    def __init__(self, client: redis.Redis, prefix: str = KEY_PREFIX) -> None:
        self._client = client
        self._prefix = prefix
        self._token = uuid.uuid4().hex

    def acquire(self, name: str, ttl_seconds: float) -> bool:
        ttl_ms = max(1, int(ttl_seconds * 1000))
        return bool(self._client.set(self._prefix + name, self._token, nx=True, px=ttl_ms))


class Scheduler:
    """Ticks each job at its interval on a daemon thread until stopped."""

    def __init__(
        self,
        jobs: Sequence[PeriodicJob],
        lock: TickLock,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._jobs = [job for job in jobs if job.interval_seconds > 0]
        self._lock = lock
        self._clock = clock
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        start = clock()
        self._due = {job.name: start for job in self._jobs}

    @property
    def jobs(self) -> list[PeriodicJob]:
        return list(self._jobs)

    def start(self) -> None:
        if self._thread is None and self._jobs:
            self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop ticking; waits for a running job up to `timeout` seconds."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def tick(self, job: PeriodicJob) -> bool:
        """Run the job if this worker wins its lock; True if it ran (even if it failed)."""
        try:
            if not self._lock.acquire(job.name, job.interval_seconds * LOCK_SHARE):
                return False
        except Exception as error:
            logger.warning("scheduled %s skipped: its lock is unreachable (%s)", job.name, error)
            return False
        try:
            job.run()
        except Exception:
            logger.warning("scheduled %s failed; the next tick retries", job.name, exc_info=True)
        return True

    def run_due(self) -> float:
        """Tick every job that is due; returns the seconds until the next one is."""
        for job in self._jobs:
            if self._stopping.is_set():
                break
            if self._clock() >= self._due[job.name]:
                self.tick(job)
                self._due[job.name] = self._next_due(job)
        return max(0.0, min(self._due.values()) - self._clock())

    def _next_due(self, job: PeriodicJob) -> float:
        following = self._due[job.name] + job.interval_seconds
        now = self._clock()
        return following if following > now else now + job.interval_seconds

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._stopping.wait(self.run_due())


class SchedulerMiddleware(dramatiq.Middleware):
    """Starts a Scheduler when a worker boots and stops it when the worker shuts down.

    `jobs` is called at boot (so settings are read in the worker process); the lock lives in
    the broker's Redis.
    """

    def __init__(
        self,
        jobs: Callable[[], Sequence[PeriodicJob]],
        lock: Callable[[dramatiq.Broker], TickLock] | None = None,
    ) -> None:
        self._jobs = jobs
        self._lock = lock or _broker_lock
        self._scheduler: Scheduler | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._scheduler = Scheduler(self._jobs(), self._lock(broker))
        self._scheduler.start()
        names = ", ".join(job.name for job in self._scheduler.jobs) or "none"
        logger.info("scheduler started (jobs: %s)", names)

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None


def _broker_lock(broker: dramatiq.Broker) -> TickLock:
    client = getattr(broker, "client", None)
    if not isinstance(client, redis.Redis):
        raise TypeError("the scheduler's lock needs a Redis broker")
    return RedisTickLock(client)
