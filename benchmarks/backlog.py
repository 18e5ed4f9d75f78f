"""A backlog drained while the API serves: the graph was away and many events piled up.

The outbox holds N open concept-progress events (quick 20k, full 80k) when a worker starts;
the relay hands them over at once. Meanwhile one learner reads the Concepts page over HTTP
(concurrency 1): its p50 during the drain is set against the same read before it (idle). The
open count the admin `syncStatus` reports is sampled as the drain goes, and the worker
processes' resident memory (RSS, from /proc) at its peak against its start.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import func, select

from benchmarks.processes import spawn_server, spawn_worker, wait_until
from benchmarks.results import Result
from benchmarks.timing import Samples
from ops.processes import stop
from persistence.sql.models import OutboxEvent

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sqlalchemy.orm import Session, sessionmaker

    from benchmarks.data import World
    from benchmarks.processes import Server
    from benchmarks.reads import Fixture, Read
    from config.settings import Settings

__all__ = ["backlog_benchmark"]

READS_PER_ROUND = 10
WARM_UP = 20
OPEN = ("pending", "published", "failed")


def _open_events(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        query = select(func.count()).where(OutboxEvent.status.in_(OPEN))
        return int(session.scalar(query) or 0)


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (dramatiq forks its worker processes)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if proc.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


async def backlog_benchmark(
    env: Mapping[str, str],
    *,
    settings: Settings,
    sessions: sessionmaker[Session],
    world: World,
    changes: int,
    logs: Path,
    log: Callable[[str], None],
) -> list[Result]:
    from benchmarks.documents import operation, trimmed
    from benchmarks.reads import Fixture, reads
    from benchmarks.sync import _bump, _quiet_outbox
    from schema.schema import build_schema

    fixture = Fixture(world, settings)
    read = next(r for r in reads(fixture) if r.name == "Concepts")
    document, _ = trimmed(operation(read.operation), build_schema(settings)._schema)
    keys = [(row[0], row[1]) for row in world.progress[:changes]]
    server = spawn_server("ours", logs / "backlog-api.log", env)
    try:
        async with httpx.AsyncClient(timeout=60.0) as client:
            reader = _Reader(client, fixture, read, document, server)
            await reader.reads(4)  # warm up
            idle = await reader.reads(4 * READS_PER_ROUND)
            _quiet_outbox(settings, sessions)
            worker = spawn_worker(logs / "backlog-worker.log", env)
            try:
                _warm_up(sessions, keys[:WARM_UP])
                start_rss = _rss_mib(worker.pid)
                _bump(sessions, keys, outbox=True)
                return await _drain(
                    sessions, reader, worker.pid, (idle, start_rss), env=env, log=log
                )
            finally:
                stop(worker)
    finally:
        stop(server.process)


async def _relay_in_a_process(env: Mapping[str, str], limit: int) -> None:
    code = f"from tasks.relay import relay_once; relay_once(min_age_seconds=0, limit={limit})"
    relay = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, env={**os.environ, **env}
    )
    if await relay.wait() != 0:
        raise RuntimeError(f"the relay process exited with {relay.returncode}")


@dataclass(frozen=True)
class _Reader:
    client: httpx.AsyncClient
    fixture: Fixture
    read: Read
    document: str
    server: Server

    async def reads(self, count: int) -> Samples:
        from benchmarks.reads import measure

        return await measure(
            self.client,
            fixture=self.fixture,
            read=self.read,
            document=self.document,
            server=self.server,
            total=count,
            concurrency=1,
        )


def _warm_up(sessions: sessionmaker[Session], keys: list[tuple[Any, Any]]) -> None:
    """A few changes through the worker, so it has booted and connected before the backlog."""
    from benchmarks.sync import _bump
    from tasks.relay import relay_once

    _bump(sessions, keys, outbox=True)
    relay_once(min_age_seconds=0)
    if not wait_until(lambda: _open_events(sessions) == 0, timeout=120):
        raise TimeoutError("the worker did not apply the warm-up changes")


async def _drain(
    sessions: sessionmaker[Session],
    reader: _Reader,
    worker_pid: int,
    before: tuple[Samples, float],
    *,
    env: Mapping[str, str],
    log: Callable[[str], None],
) -> list[Result]:
    idle, start_rss = before
    total = _open_events(sessions)
    started = time.perf_counter()
    # The product's relay hands the backlog over from a process of its own, as it runs in a
    # worker's: in a thread of this process it would hold the GIL the reader below needs, and
    # the reads would measure the harness rather than the API.
    handing_over = asyncio.ensure_future(_relay_in_a_process(env, total))
    during, peak, progress = Samples(), start_rss, [total]
    while (
        not handing_over.done() or _open_events(sessions) > 0
    ) and time.perf_counter() - started < 600:
        during.extend(await reader.reads(READS_PER_ROUND))
        peak = max(peak, _rss_mib(worker_pid))
        progress.append(_open_events(sessions))
    await handing_over
    seconds = time.perf_counter() - started
    log(
        f"backlog: {total} events drained in {seconds:.1f}s; read p50 {during.p50_ms:.1f} ms "
        f"vs idle {idle.p50_ms:.1f}; worker RSS {start_rss:.0f} -> peak {peak:.0f} MiB; "
        f"open events seen: {progress[:: max(1, len(progress) // 8)]}"
    )
    extra = {"open_events_seen": progress, "seconds": seconds}
    note = f"{total} open events; the Concepts read (c=1) during the drain vs before it"
    return [
        Result(
            "backlog.read p50 during drain vs idle",
            during.p50_ms,
            idle.p50_ms,
            during.p50_ms / idle.p50_ms,
            "responsive (<= 2x)",
            during.p50_ms <= 2 * idle.p50_ms,
            "ms",
            note,
            extra,
        ),
        Result(
            "backlog.drain rate",
            total / seconds,
            None,
            None,
            "-",
            None,
            "events/s",
            "1 worker process x 4 threads",
        ),
        Result(
            "backlog.worker peak memory vs start",
            peak,
            start_rss,
            peak / start_rss if start_rss else None,
            "flat (<= 1.5x)",
            bool(start_rss) and peak <= 1.5 * start_rss,
            "MiB",
            "RSS of the worker command and its processes",
        ),
    ]
