"""Engines and sessions for PostgreSQL: async for the API, sync for workers and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed

from config.tracing import trace_engine
from persistence.stats import count_sql_statements

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "StoreUnavailableError",
    "async_session_factory",
    "libpq_url",
    "make_async_engine",
    "make_sync_engine",
    "make_worker_engine",
    "session_timeouts",
    "sync_session_factory",
    "tls_to_local_off",
    "wait_for_postgres",
]

T = TypeVar("T")


class StoreUnavailableError(RuntimeError):
    """A store did not answer within the start-up wait."""


def make_async_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    statement_timeout_seconds: float | None = None,
) -> AsyncEngine:
    """The API's engine. No pre-ping: it would cost a `SELECT 1` on every checkout (and every
    DataLoader batch checks one out). After a PostgreSQL restart the first statement on a dead
    connection fails; SQLAlchemy then invalidates the whole pool, so that one request fails
    cleanly and the next ones get fresh connections. Connections are recycled hourly.

    `pool_size` connections stay open; up to `max_overflow` more are opened for a burst and
    closed when returned, so a pool too small for the usual load opens and closes connections
    on every request.

    With a statement timeout, PostgreSQL cancels any statement running longer (and ends a
    session idle inside a transaction for as long), so no request holds a connection for long.
    """
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=False,
        pool_recycle=3600,
        connect_args=session_timeouts(statement_timeout_seconds),
    )
    count_sql_statements(engine.sync_engine)
    trace_engine(engine.sync_engine)
    return engine


def libpq_url(database_url: str) -> str:
    """The libpq form of a SQLAlchemy URL (for psycopg itself): `postgresql://...`."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def session_timeouts(seconds: float | None) -> dict[str, str]:
    """Connection options: PostgreSQL ends a statement running longer than `seconds`, and a
    session idle inside a transaction as long."""
    if seconds is None:
        return {}
    milliseconds = max(1, round(seconds * 1000))
    return {
        "options": f"-c statement_timeout={milliseconds} "
        f"-c idle_in_transaction_session_timeout={milliseconds}"
    }


def make_sync_engine(url: str, *, pool_size: int = 5) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=5, pool_pre_ping=True)
    trace_engine(engine)
    return engine


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WORKER_SPARE_CONNECTIONS = 4  # beside one per thread: the relay, the schedule, the heartbeat


def make_worker_engine(url: str, *, threads: int) -> Engine:
    """A worker process's engine: a connection kept open per thread (and a few spare), so a
    batch's checkout never opens one, and no pre-ping, which cost a `SELECT 1` per batch. After
    a PostgreSQL restart the first statement on a dead connection fails as an outage (the sync
    retries it without counting a try) and SQLAlchemy replaces the pool's connections.

    To a PostgreSQL on this machine (loopback or a socket) it does not negotiate TLS unless the
    URL asks for an `sslmode`: encrypting every statement to the same host protects nothing.
    """
    engine = create_engine(
        url,
        pool_size=threads + WORKER_SPARE_CONNECTIONS,
        max_overflow=WORKER_SPARE_CONNECTIONS,
        pool_pre_ping=False,
        pool_recycle=3600,
        connect_args=tls_to_local_off(url),
    )
    trace_engine(engine)
    return engine


def tls_to_local_off(url: str) -> dict[str, str]:
    """Connection arguments turning TLS off for a PostgreSQL on this machine, unless the URL
    chooses an `sslmode` itself."""
    parsed = make_url(url)
    local = parsed.host is None or parsed.host in LOOPBACK
    return {"sslmode": "disable"} if local and "sslmode" not in parsed.query else {}


def async_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def sync_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def retry_until(
    probe: Callable[[], T], *, store: str, seconds: float, errors: tuple[type[BaseException], ...]
) -> T:
    """Call probe until it succeeds or the wait is over (tenacity: every 0.5 s), then raise
    StoreUnavailableError naming the store and the last error in one line."""
    retrying = Retrying(
        retry=retry_if_exception_type(errors),
        stop=stop_after_delay(seconds),
        wait=wait_fixed(0.5),
        reraise=True,
    )
    try:
        return retrying(probe)
    except errors as error:
        raise StoreUnavailableError(
            f"{store} is not reachable after {seconds:.0f}s: {error}".splitlines()[0]
        ) from None


def wait_for_postgres(url: str, *, seconds: float) -> None:
    engine = create_engine(url, pool_pre_ping=True)

    def probe() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        retry_until(probe, store="PostgreSQL", seconds=seconds, errors=(OperationalError,))
    finally:
        engine.dispose()
