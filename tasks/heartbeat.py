"""Worker heartbeats: every worker process writes a short-lived Redis key every few seconds.

`learngraph status` lists the workers seen recently from these keys, and a container's health
check (`learngraph worker-health`) asks whether a worker on its own host is still beating. A key
expires by itself, so a worker that died silently drops out of the list within BEAT_TTL_SECONDS.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import dramatiq
import redis

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "BEAT_SECONDS",
    "BEAT_TTL_SECONDS",
    "Heartbeat",
    "WorkerBeat",
    "read_beats",
    "write_beat",
]

logger = logging.getLogger(__name__)
KEY_PREFIX = "learngraph:worker:"
BEAT_SECONDS = 5.0
BEAT_TTL_SECONDS = 30


@dataclass(frozen=True)
class WorkerBeat:
    """One worker process as it last reported itself."""

    host: str
    pid: int
    threads: int
    started_at: float
    beat_at: float

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.host}:{self.pid}"


def write_beat(client: redis.Redis, beat: WorkerBeat) -> None:
    client.set(beat.key, json.dumps(asdict(beat)), ex=BEAT_TTL_SECONDS)


def _parse(raw: bytes | str | None) -> WorkerBeat | None:
    try:
        return WorkerBeat(**json.loads(raw)) if raw else None
    except (TypeError, ValueError):
        return None


def read_beats(client: redis.Redis) -> list[WorkerBeat]:
    """The workers whose heartbeat has not expired, by host and pid."""
    keys = sorted(client.scan_iter(match=f"{KEY_PREFIX}*", count=500))
    values = client.mget(keys) if keys else []
    beats = [beat for raw in values if (beat := _parse(raw)) is not None]
    return sorted(beats, key=lambda beat: (beat.host, beat.pid))


class Heartbeat(dramatiq.Middleware):
    """Beats on a daemon thread from worker boot to worker shutdown; Redis errors are logged."""

    def __init__(self, client: Callable[[], redis.Redis]) -> None:
        self._client = client
        self._stop = threading.Event()
        self._beat: WorkerBeat | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        now = time.time()
        threads = int(getattr(worker, "worker_threads", 0))
        self._beat = WorkerBeat(socket.gethostname(), os.getpid(), threads, now, now)
        self._stop.clear()
        threading.Thread(target=self._run, name="heartbeat", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()
        if self._beat is not None:
            try:
                self._client().delete(self._beat.key)
            except redis.RedisError:
                logger.info("could not remove the worker heartbeat; it expires by itself")

    def _run(self) -> None:
        client = self._client()
        while self._beat is not None:
            self._beat = WorkerBeat(**{**asdict(self._beat), "beat_at": time.time()})
            try:
                write_beat(client, self._beat)
            except redis.RedisError as error:
                logger.warning("worker heartbeat not written: %s", error)
            if self._stop.wait(BEAT_SECONDS):
                return
