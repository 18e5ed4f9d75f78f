"""The periodic scheduler: ticks at the interval, one runner per lock, failures are skipped."""

from __future__ import annotations

import threading

from tasks.scheduler import LOCK_SHARE, PeriodicJob, Scheduler


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SharedLock:
    """An in-memory stand-in for the Redis lock that several schedulers share."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._held_until: dict[str, float] = {}
        self.asked: list[tuple[str, float]] = []

    def acquire(self, name: str, ttl_seconds: float) -> bool:
        self.asked.append((name, ttl_seconds))
        if self._held_until.get(name, 0.0) > self._clock():
            return False
        self._held_until[name] = self._clock() + ttl_seconds
        return True


class BrokenLock:
    def acquire(self, name: str, ttl_seconds: float) -> bool:
        raise ConnectionError("redis is down")


def test_a_job_runs_at_once_and_then_once_per_interval() -> None:
    # given a job every 5 s
    clock = FakeClock()
    runs: list[float] = []
    scheduler = Scheduler(
        [PeriodicJob("relay", 5.0, lambda: runs.append(clock.now))], SharedLock(clock), clock=clock
    )
    # when time passes in steps of one second for 12 seconds
    for _ in range(13):
        scheduler.run_due()
        clock.now += 1.0
    # then it ran at 0, 5 and 10 s
    assert runs == [1000.0, 1005.0, 1010.0]


def test_the_lock_is_asked_for_most_of_the_interval() -> None:
    # given a job every 10 s
    clock = FakeClock()
    lock = SharedLock(clock)
    scheduler = Scheduler([PeriodicJob("relay", 10.0, lambda: None)], lock, clock=clock)
    # when it ticks
    scheduler.run_due()
    # then it asked for the job's lock for a share of the interval
    assert lock.asked == [("relay", 10.0 * LOCK_SHARE)]


def test_two_schedulers_sharing_a_lock_run_a_job_once_per_interval() -> None:
    # given two workers' schedulers over one lock, ticking out of phase
    clock = FakeClock()
    lock = SharedLock(clock)
    runs: list[str] = []
    first = Scheduler([PeriodicJob("relay", 5.0, lambda: runs.append("a"))], lock, clock=clock)
    clock.now += 2.0
    second = Scheduler([PeriodicJob("relay", 5.0, lambda: runs.append("b"))], lock, clock=clock)
    clock.now -= 2.0
    # when 20 seconds pass
    for _ in range(21):
        first.run_due()
        second.run_due()
        clock.now += 1.0
    # then the job ran once per interval, not once per worker
    assert len(runs) == 5


def test_a_tick_whose_lock_store_is_unreachable_is_skipped_without_raising() -> None:
    # given a job and a lock store that is down
    runs: list[int] = []
    scheduler = Scheduler([PeriodicJob("relay", 1.0, lambda: runs.append(1))], BrokenLock())
    # when it ticks
    ran = scheduler.tick(scheduler.jobs[0])
    # then the job did not run and nothing was raised
    assert ran is False
    assert runs == []


def test_a_failing_job_does_not_stop_the_schedule() -> None:
    # given a job that fails every time
    clock = FakeClock()
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("postgres is down")

    scheduler = Scheduler([PeriodicJob("relay", 1.0, failing)], SharedLock(clock), clock=clock)
    # when it ticks three times
    for _ in range(3):
        scheduler.run_due()
        clock.now += 1.0
    # then every tick ran it again
    assert len(calls) == 3


def test_a_job_with_interval_zero_is_off() -> None:
    # given a job with interval 0
    scheduler = Scheduler([PeriodicJob("reconcile", 0, lambda: None)], BrokenLock())
    # then the scheduler has nothing to run
    assert scheduler.jobs == []


def test_the_thread_ticks_and_stops_cleanly() -> None:
    # given a running scheduler with a fast job
    ran = threading.Event()
    scheduler = Scheduler([PeriodicJob("relay", 0.05, ran.set)], SharedLock(FakeClock()))
    # when it starts
    scheduler.start()
    # then the job runs, and stop() ends the thread
    assert ran.wait(5.0)
    scheduler.stop(timeout=5.0)
    assert not any(thread.name == "scheduler" for thread in threading.enumerate())
