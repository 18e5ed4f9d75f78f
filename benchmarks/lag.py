"""Commit-to-graph lag under a steady stream of mutations (open loop, one event per commit).

Each mutation is our unit of work (UPDATE + outbox + enqueue); the time of its commit is noted,
and a watcher polls the graph until the edge carries that version. Lag = seen - committed. The
watcher polls from a thread of its own: on a loaded machine, an event loop also running 100
mutations a second answers late, and its polls would measure their own queueing.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import TYPE_CHECKING, Any

from benchmarks.results import Result
from benchmarks.timing import percentile
from benchmarks.writes import BUMP
from domain.events import ChangeEvent, EntityType, EventType
from persistence.graph.driver import make_sync_driver
from persistence.sql.database import async_session_factory, make_async_engine
from persistence.sql.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from collections.abc import Callable

    from neo4j import Driver

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


def _watch(
    driver: Driver,
    pending: dict[str, dict[str, Any]],
    seen: dict[str, float],
    stop: threading.Event,
    give_up: threading.Event,
) -> None:
    """Until stopped with nothing pending, or given up on."""
    while not give_up.is_set() and (not stop.is_set() or pending):
        keys = list(pending.values())
        if keys:
            records, _, _ = driver.execute_query(SEEN, keys=keys, routing_="r")
            now = time.perf_counter()
            for record in records:
                key = pending.pop(record["id"], None)
                if key is not None:
                    seen[record["id"]] = now - key["committed"]
        time.sleep(POLL)


async def lag_benchmark(
    world: World, settings: Settings, seconds: float, log: Callable[[str], None]
) -> list[Result]:
    from tasks.publish import OutboxPublisher

    engine = make_async_engine(settings.database_url)
    sessions = async_session_factory(engine)
    driver = make_sync_driver(settings)
    publish = OutboxPublisher(sessions)
    rows = world.progress[len(world.progress) // 3 :]
    pending: dict[str, dict[str, Any]] = {}
    seen: dict[str, float] = {}
    stop, give_up = threading.Event(), threading.Event()

    async def mutate(index: int) -> None:
        user, concept = str(rows[index][0]), str(rows[index][1])
        entity = f"{user}:{concept}"
        async with UnitOfWork(sessions, publish) as uow:
            version = (await uow.session.execute(BUMP, {"user": user, "concept": concept})).one()[0]
            uow.record(
                ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT_PROGRESS, entity, version)
            )
            await uow.commit()
        pending[entity] = {
            "id": entity,
            "user": user,
            "concept": concept,
            "version": version,
            "committed": time.perf_counter(),
        }

    total = min(int(seconds * RATE), len(rows))
    watcher = asyncio.create_task(asyncio.to_thread(_watch, driver, pending, seen, stop, give_up))
    started = time.perf_counter()
    tasks = []
    try:
        for index in range(total):
            await asyncio.sleep(max(0.0, started + index / RATE - time.perf_counter()))
            tasks.append(asyncio.create_task(mutate(index)))
        await asyncio.gather(*tasks)
        achieved = total / (time.perf_counter() - started)
        stop.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(watcher), timeout=15)
    finally:
        give_up.set()
        await watcher
        await publish.drain()
        driver.close()
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
