"""What `learngraph status` finds: stores, counts on both sides, the outbox, reconciliation, workers.

Every part is read on its own, so a store that is down leaves the rest of the report intact and
is named in it. `problems` says what is not well; `drift` whether the only trouble is that the
two stores hold different counts while no event is on its way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cli.failures import failure_line, store_address
from domain.events import OPEN_STATUSES, SyncEventStatus
from domain.reconciliation import ReconciliationStatus

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from neo4j import AsyncDriver
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from config.settings import Settings
    from persistence.reconcile.counts import EntityCount
    from persistence.sync.admin import SyncFigures
    from tasks.heartbeat import WorkerBeat

__all__ = ["LAG_LIMIT_SECONDS", "StatusReport", "read_status"]

PROBE_SECONDS = 5.0
LAG_LIMIT_SECONDS = 60.0
STORES = {"postgresql": "PostgreSQL", "neo4j": "Neo4j", "redis": "Redis"}


@dataclass
class StatusReport:
    stores: dict[str, str] = field(default_factory=dict)
    entities: list[EntityCount] = field(default_factory=list)
    outbox: SyncFigures | None = None
    last_reconciliation: dict[str, Any] | None = None
    workers: list[WorkerBeat] = field(default_factory=list)

    @property
    def drift(self) -> list[str]:
        """Types whose counts differ while nothing is on its way to the graph."""
        in_flight = self.outbox is not None and any(
            self.outbox.counts.get(status, 0) for status in OPEN_STATUSES
        )
        if in_flight:
            return []
        return [
            f"{row.entity_type}: {row.postgresql} in PostgreSQL, {row.neo4j} in Neo4j"
            for row in self.entities
            if row.differs
        ]

    @property
    def problems(self) -> list[str]:
        """Everything that is not well, drift excluded (see `drift`)."""
        found = [f"{name} {state}" for name, state in self.stores.items() if state != "ok"]
        if self.outbox is not None:
            found += _outbox_problems(self.outbox)
        run = self.last_reconciliation
        if run is not None and run["status"] == ReconciliationStatus.FAILED:
            found.append(f"the last reconciliation ({run['id']}) failed")
        if self.stores.get("redis") == "ok" and not self.workers:
            found.append("no worker seen recently (no heartbeat)")
        return found


def _outbox_problems(figures: SyncFigures) -> list[str]:
    found = []
    if dead := figures.counts.get(SyncEventStatus.DEAD, 0):
        found.append(f"{dead} dead outbox events (learngraph sync retry-dead)")
    if figures.lag_seconds > LAG_LIMIT_SECONDS:
        found.append(f"sync lag {figures.lag_seconds:.0f} s (over {LAG_LIMIT_SECONDS:.0f} s)")
    return found


async def _probe(report: StatusReport, name: str, check: Callable[[], Awaitable[object]]) -> bool:
    try:
        await asyncio.wait_for(check(), PROBE_SECONDS)
    except TimeoutError:
        store = STORES[name]
        silent = f"{store} ({store_address(store)}): no answer within {PROBE_SECONDS:.0f} s"
        report.stores[name] = f"down: {silent}"
        return False
    except Exception as error:  # any failure means the store is not usable; the line says why
        report.stores[name] = f"down: {failure_line(error)}"
        return False
    report.stores[name] = "ok"
    return True


async def _ping_postgres(engine: AsyncEngine) -> None:
    from sqlalchemy import text

    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _read_workers(report: StatusReport, settings: Settings) -> None:
    from tasks.broker import redis_client
    from tasks.heartbeat import read_beats

    client = redis_client(settings.redis_url)
    try:
        report.workers = await asyncio.to_thread(read_beats, client)
    finally:
        client.close()


async def _last_run(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any] | None:
    from sqlalchemy import select

    from persistence.sql.models import ReconciliationRun

    query = select(ReconciliationRun).order_by(ReconciliationRun.started_at.desc()).limit(1)
    async with sessions() as session:
        run = await session.scalar(query)
    if run is None:
        return None
    figures = ("checked", "missing_in_graph", "orphaned_in_graph", "stale", "repaired")
    return {
        "id": str(run.id),
        "status": run.status,
        "repair": run.repair,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        **{name: getattr(run, name) for name in (*figures, "conflicts")},
    }


async def _counts(
    report: StatusReport,
    sessions: async_sessionmaker[AsyncSession],
    driver: AsyncDriver | None,
    database: str,
) -> None:
    from persistence.reconcile.counts import EntityCount, count_graph, count_sql
    from persistence.sync.registry import default_registry

    targets = [mirror.target for mirror in default_registry().ordered()]
    sql = await count_sql(sessions, targets)
    graph: dict[str, int] = {}
    if driver is not None:
        graph = await count_graph(driver, targets, database=database)
    names = [str(target.entity_type) for target in targets]
    report.entities = [EntityCount(name, sql[name], graph.get(name)) for name in names]


async def _read_sql_side(
    report: StatusReport,
    sessions: async_sessionmaker[AsyncSession],
    driver: AsyncDriver,
    settings: Settings,
) -> None:
    from persistence.sync.admin import read_sync_status

    graph = driver if report.stores["neo4j"] == "ok" else None
    await _counts(report, sessions, graph, settings.neo4j_database)
    report.outbox = await read_sync_status(sessions, driver)
    report.last_reconciliation = await _last_run(sessions)


async def read_status(settings: Settings) -> StatusReport:
    """Probe the three stores side by side, then read what the reachable ones can tell."""
    from persistence.graph.driver import make_async_driver
    from persistence.sql.database import async_session_factory, make_async_engine

    report = StatusReport()
    engine = make_async_engine(settings.database_url, pool_size=2)
    driver = make_async_driver(settings)
    try:
        sql_up, _, _ = await asyncio.gather(
            _probe(report, "postgresql", lambda: _ping_postgres(engine)),
            _probe(report, "neo4j", driver.verify_connectivity),
            _probe(report, "redis", lambda: _read_workers(report, settings)),
        )
        report.stores = {name: report.stores[name] for name in STORES}
        if sql_up:
            await _read_sql_side(report, async_session_factory(engine), driver, settings)
    finally:
        await driver.close()
        await engine.dispose()
    return report
