"""The connections of the JSON reads: psycopg's own pool, in autocommit, no SQLAlchemy between.

A JSON read (persistence/sql/reads) is one statement whose rows are one text column each:
SQLAlchemy's async layer (checkout events, the autocommit switch and its reset, the greenlet
hop, result wrapping) cost more CPU than psycopg spends on the statement itself (about 0.4
against 0.13 ms, benchmarks/profiles). These connections are opened in autocommit (a SELECT
is one round trip, no BEGIN or ROLLBACK) with the engine's statement timeout; they are never
written with. The pool holds none until reads ask for them and at most `size`; a connection
PostgreSQL closed (a restart) fails the read that finds it, and the pool then checks the
others, as SQLAlchemy invalidates its pool. While PostgreSQL refuses connections a read fails
within a moment, as one through the engine would, instead of waiting for the pool's timeout:
the pool tries once per read that finds it empty (no retries in the background), and a read
waiting for a connection gives up as soon as an attempt made meanwhile has failed.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from config.tracing import tracer, tracing_active
from persistence.sql.database import libpq_url
from persistence.stats import note_sql_statement

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator, Mapping

__all__ = [
    "ReadConnection",
    "ReadPool",
    "make_read_pool",
    "observing_reads",
    "read_connection",
    "rows",
]

ReadConnection = psycopg.AsyncConnection[tuple[Any, ...]]
ReadPool = AsyncConnectionPool[ReadConnection]

# an idle connection beyond what reads use is closed after this long
MAX_IDLE_SECONDS = 300.0
# an unanswered connection attempt gives up after this long
CONNECT_TIMEOUT_SECONDS = 3
# a read waiting for a connection looks this often whether an attempt to open one has failed
REFUSAL_CHECK_SECONDS = 0.1
_observers: list[Callable[[str], None]] = []


def make_read_pool(database_url: str, *, size: int, session_options: Mapping[str, str]) -> ReadPool:
    """A pool (not opened yet: `await pool.open(wait=False)` in the app's lifespan)."""
    return AsyncConnectionPool(
        libpq_url(database_url),
        min_size=0,
        max_size=size,
        max_idle=MAX_IDLE_SECONDS,
        kwargs={
            "autocommit": True,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            **session_options,
        },
        reconnect_timeout=0,  # a failed attempt is not retried in the background
        open=False,
        name="json-reads",
    )


@contextlib.contextmanager
def observing_reads(observer: Callable[[str], None]) -> Iterator[None]:
    """Calls observer with the text of each statement `rows` sends inside the block (the
    engines' statements are SQLAlchemy's events to watch)."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


@contextlib.asynccontextmanager
async def read_connection(pool: ReadPool) -> AsyncIterator[ReadConnection]:
    """A connection for reads; when one turns out closed by the server, the pool's other idle
    connections are checked before the failure goes on."""
    connection = await _checkout(pool)
    try:
        yield connection
    except psycopg.OperationalError:
        if connection.broken:
            await pool.check()
        raise
    finally:
        await pool.putconn(connection)


async def _checkout(pool: ReadPool) -> ReadConnection:
    """A connection of the pool; an OperationalError once an attempt to open one fails while
    this waits, PoolTimeout after the pool's timeout."""
    failed = _failed_attempts(pool)
    waited = 0.0
    while True:
        try:
            return await pool.getconn(timeout=REFUSAL_CHECK_SECONDS)
        except PoolTimeout:
            waited += REFUSAL_CHECK_SECONDS
            if _failed_attempts(pool) > failed:
                raise psycopg.OperationalError("PostgreSQL refused a connection") from None
            if waited >= pool.timeout:
                raise


def _failed_attempts(pool: ReadPool) -> int:
    return pool.get_stats().get("connections_errors", 0)


async def rows(
    connection: ReadConnection, statement: str, params: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """The rows of one statement (`%(name)s` parameters), counted in the request's query
    stats and, when tracing is on, a span of its own."""
    note_sql_statement()
    for observer in _observers:
        observer(statement)
    if not tracing_active():
        cursor = await connection.execute(statement, params)
        return await cursor.fetchall()
    database = connection.info.dbname
    attributes = {"db.system": "postgresql", "db.name": database, "db.statement": statement}
    name = f"{statement.split(maxsplit=1)[0]} {database}"  # as the engines' spans are named
    with tracer("learngraph.sql").start_as_current_span(name, attributes=attributes):
        cursor = await connection.execute(statement, params)
        return await cursor.fetchall()
