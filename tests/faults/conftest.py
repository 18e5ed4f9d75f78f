"""Fault tests: the product's processes over stores that the tests stop and start on purpose.

These tests use the `fault` profile of ops/services.py (a Redis and a Neo4j of their own, and
their own database), so stopping a store never disturbs the rest of the suite. One fault suite
runs at a time on a machine: the session holds a lock while it uses the profile.
"""

from __future__ import annotations

import fcntl
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import Engine, text

from config.settings import Settings
from ops.processes import kill, stop
from ops.services import VAR_DIR, get_profile, service_status, start_service, stop_service
from persistence.graph.constraints import ensure_schema
from persistence.graph.driver import make_sync_driver
from persistence.sql.bootstrap import ensure_admin
from persistence.sql.database import make_sync_engine, sync_session_factory
from persistence.sql.migrate import upgrade_to_head
from tests.support.api import Api
from tests.support.processes import spawn_api, spawn_worker
from tests.support.stores import reset_graph, reset_redis, reset_sql

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

    from neo4j import Driver

PROFILE = "fault"
STOPPABLE = ("redis", "neo4j")


def _fault_env() -> dict[str, str]:
    profile = get_profile(PROFILE)
    return {
        "DATABASE_URL": "postgresql+psycopg://learngraph:learngraph@127.0.0.1:"
        f"{profile.pg_port}/{profile.pg_database}",
        "NEO4J_URI": f"bolt://127.0.0.1:{profile.neo4j_bolt_port}",
        "NEO4J_PASSWORD": profile.neo4j_password,
        "REDIS_URL": f"redis://127.0.0.1:{profile.redis_port}/0",
        "STORE_WAIT_SECONDS": "5",
        "NEO4J_TRANSACTION_TIMEOUT_SECONDS": "5",
    }


@dataclass
class FaultStores:
    """The fault profile's stores, and the environment that points a process at them."""

    env: dict[str, str]
    settings: Settings
    engine: Engine
    graph: Driver
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self, service: str) -> None:
        """Stop a store (redis or neo4j) as an outage would."""
        assert service in STOPPABLE, service
        stop_service(service, PROFILE)

    def start(self, service: str) -> None:
        """Bring a store back and wait until it is ready."""
        start_service(service, PROFILE)

    def api(self) -> str:
        """A real uvicorn on these stores; returns its base URL. Stopped after the test."""
        process, base = spawn_api(self.logs / "api.log", self.env)
        self.processes.append(process)
        return base

    def worker(self, threads: int = 2) -> subprocess.Popen[bytes]:
        """A real Dramatiq worker process on these stores. Stopped after the test."""
        process = spawn_worker(self.logs / "worker.log", self.env, threads=threads)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """Kill a process at once, as a crash would."""
        kill(process)


@pytest.fixture(scope="session")
def fault_lock() -> Iterator[None]:
    """Only one run on this machine uses the fault profile at a time."""
    lockfile = VAR_DIR / PROFILE / ".suite.lock"
    lockfile.parent.mkdir(parents=True, exist_ok=True)
    with lockfile.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def fault_session(fault_lock: None) -> Iterator[tuple[Settings, Engine, Driver]]:
    for service in ("postgres", *STOPPABLE):
        start_service(service, PROFILE)
    env = _fault_env()
    settings = Settings(**{name.lower(): value for name, value in env.items()})  # type: ignore[arg-type]
    engine = make_sync_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_to_head(settings.database_url)
    driver = make_sync_driver(settings)
    yield settings, engine, driver
    driver.close()
    engine.dispose()


@pytest.fixture
def stores(fault_session: tuple[Settings, Engine, Driver], tmp_path: Path) -> Iterator[FaultStores]:
    """Given the fault profile's stores running and empty (and the bootstrap admin)."""
    settings, engine, driver = fault_session
    for service in STOPPABLE:
        if not service_status(service, PROFILE).ready:
            start_service(service, PROFILE)
    ensure_schema(driver, database=settings.neo4j_database)
    reset_sql(engine)
    reset_graph(driver, settings.neo4j_database)
    reset_redis(settings.redis_url)
    with sync_session_factory(engine).begin() as session:
        # its outbox event waits for the worker processes, which are on these stores
        ensure_admin(session, username="admin", password="admin-password")
    faults = FaultStores(_fault_env(), settings, engine, driver, tmp_path)
    try:
        yield faults
    finally:
        for process in faults.processes:
            stop(process)
        for service in STOPPABLE:
            if not service_status(service, PROFILE).ready:
                start_service(service, PROFILE)


ApiFactory = Callable[[str], Api]


@pytest.fixture
async def http() -> AsyncIterator[ApiFactory]:
    """Make a GraphQL client for a base URL; closed after the test."""
    clients: list[httpx.AsyncClient] = []

    def client_for(base: str) -> Api:
        client = httpx.AsyncClient(base_url=base, timeout=30.0)
        clients.append(client)
        return Api(client)

    yield client_for
    for client in clients:
        await client.aclose()
