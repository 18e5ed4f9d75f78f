"""Fixtures over the real test stores: migrated once, emptied before every test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text

from cli.setup import ensure_bootstrap_admin
from config.settings import Settings, get_settings
from persistence.graph.constraints import ensure_schema
from persistence.graph.driver import make_sync_driver
from persistence.sql.database import async_session_factory, make_async_engine, make_sync_engine
from persistence.sql.migrate import upgrade_to_head
from schema.app import create_app
from tasks.resources import close_resources
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.mirroring import World
from tests.support.stores import reset_graph, reset_redis, reset_sql
from tests.support.workers import running_worker

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    import dramatiq
    from neo4j import Driver
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_sync_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_to_head(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def graph(settings: Settings) -> Iterator[Driver]:
    driver = make_sync_driver(settings)
    ensure_schema(driver, database=settings.neo4j_database)
    yield driver
    driver.close()


@pytest.fixture(scope="session", autouse=True)
def worker_resources_closed() -> Iterator[None]:
    """Tasks some tests run in this process (without a worker) open the worker's connections:
    closed once the session ends, as a worker closes them at shutdown."""
    yield
    close_resources()


@pytest.fixture(autouse=True)
def clean_stores(engine: Engine, graph: Driver, settings: Settings) -> None:
    """Given empty stores (and the bootstrap admin) at the start of every test."""
    reset_sql(engine)
    reset_graph(graph, settings.neo4j_database)
    reset_redis(settings.redis_url)
    ensure_bootstrap_admin(settings)


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Async sessions on an engine of their own, as the API's unit of work opens them."""
    engine = make_async_engine(settings.database_url, pool_size=2)
    yield async_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def worker() -> Iterator[dramatiq.Worker]:
    """A real Dramatiq worker on the real Redis broker, in this process."""
    with running_worker() as running:
        yield running


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    """The GraphQL API over an in-process ASGI transport, lifespan included."""
    app = create_app(settings)
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Api(client)


@pytest.fixture
async def graphless_api(settings: Settings) -> AsyncIterator[Api]:
    """The API with a Neo4j address where nothing listens."""
    unreachable = settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:9"})
    app = create_app(unreachable)
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Api(client)


@pytest.fixture
async def counted_api(settings: Settings) -> AsyncIterator[Api]:
    """The API with settings.query_stats on: answers carry the statements they ran."""
    app = create_app(settings.model_copy(update={"query_stats": True}))
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Api(client)


@pytest.fixture
def world(engine: Engine, graph: Driver, settings: Settings) -> World:
    """Rows written to PostgreSQL and mirrored into Neo4j as the sync would (tests.support.mirroring)."""
    return World(engine, graph, settings)
