"""Commit-to-graph lag under a steady stream of mutations (open loop, one event per commit).

Each mutation is our unit of work (UPDATE + outbox + enqueue); the time of its commit is noted,
and a watcher polls the graph until the edge carries that version. Lag = seen - committed, both
on the system's monotonic clock. The watcher is a process of its own: on a loaded machine an
event loop also running 100 mutations a second answers its polls late (they measured their own
queueing), and a thread beside it slows that loop down through the GIL.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from typing import TYPE_CHECKING, Any

from benchmarks.results import Result
from benchmarks.timing import percentile
from benchmarks.writes import BUMP
from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import async_session_factory, make_async_engine
from persistence.sql.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection

    from benchmarks.data import World
    from config.settings import Settings

__all__ = ["lag_benchmark"]

RATE = 100.0  # mutations per second
POLL = 0.02
GOAL_MS = 500  # p99 at RATE
SEEN = """
UNWIND $keys AS key
MATCH (:User {id: key.user})-[r:HAS_PROGRESS]->(:Concept {id: key.concept})
WHERE r.version >= key.version
RETURN key.id AS id
"""


GIVE_UP_SECONDS = 15.0  # after the last commit, for what the graph has not shown yet


def watch(connection: Connection, settings: Settings) -> None:
    """The watcher process: takes keys (with their commit time) as they come, polls the graph
    for them, and at the end sends back each one's lag in seconds."""
    from persistence.graph.driver import make_sync_driver

    driver = make_sync_driver(settings)
    pending: dict[str, dict[str, Any]] = {}
    seen: dict[str, float] = {}
    deadline: float | None = None
    connection.send("ready")
    try:
        while deadline is None or (pending and time.monotonic() < deadline):
            while connection.poll():
                key = connection.recv()
                if key is None:  # the last commit is done
                    deadline = time.monotonic() + GIVE_UP_SECONDS
                else:
                    pending[key["id"]] = key
            if pending:
                records, _, _ = driver.execute_query(SEEN, keys=list(pending.values()))
                now = time.monotonic()
                for record in records:
                    key = pending.pop(record["id"])
                    seen[record["id"]] = now - key["committed"]
            time.sleep(POLL)
    finally:
        driver.close()
    connection.send(seen)


async def lag_benchmark(
    world: World, settings: Settings, seconds: float, log: Callable[[str], None]
) -> list[Result]:
    from tasks.publish import OutboxPublisher

    engine = make_async_engine(  # pooled as the API's (an overflow connection per burst
        settings.database_url,  # would cost each late mutation a connect)
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    sessions = async_session_factory(engine)
    publish = OutboxPublisher(sessions)
    rows = world.progress[len(world.progress) // 3 :]
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    watcher = context.Process(target=watch, args=(theirs, settings), daemon=True)
    watcher.start()
    await asyncio.to_thread(ours.recv)  # its driver is connected

    async def mutate(index: int) -> None:
        user, concept = str(rows[index][0]), str(rows[index][1])
        entity = f"{user}:{concept}"
        async with UnitOfWork(sessions, publish) as uow:
            version = (await uow.session.execute(BUMP, {"user": user, "concept": concept})).one()[0]
            uow.record(
                ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT_PROGRESS, entity, version)
            )
            await uow.commit()
        key = {"user": user, "concept": concept, "version": version}
        ours.send({**key, "id": entity, "committed": time.monotonic()})

    total = min(int(seconds * RATE), len(rows))
    started = time.perf_counter()
    tasks = []
    try:
        for index in range(total):
            await asyncio.sleep(max(0.0, started + index / RATE - time.perf_counter()))
            tasks.append(asyncio.create_task(mutate(index)))
        await asyncio.gather(*tasks)
        achieved = total / (time.perf_counter() - started)
        ours.send(None)
        seen: dict[str, float] = await asyncio.to_thread(ours.recv)
    finally:
        await asyncio.to_thread(watcher.join, GIVE_UP_SECONDS + 5)
        if watcher.is_alive():
            watcher.kill()
        await publish.drain()
        await engine.dispose()
    lags = [value * 1000 for value in seen.values()]
    lost = total - len(lags)
    p50, p99 = percentile(lags, 0.5), percentile(lags, 0.99)
    log(
        f"lag: {total} mutations at {achieved:.0f}/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, unseen {lost}"
    )
    note = f"{total} mutations at {achieved:.0f}/s (target {RATE:.0f}/s); poll {POLL * 1000:.0f} ms; not seen within 15 s: {lost}"
    meets = p99 < GOAL_MS and lost == 0
    return [
        Result("lag.commit to graph.p50", p50, None, None, "-", None, "ms", note),
        Result("lag.commit to graph.p99", p99, None, None, f"< {GOAL_MS} ms", meets, "ms"),
    ]
