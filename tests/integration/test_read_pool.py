"""The JSON reads' own connections: autocommit, bounded, counted, and mended after a restart."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg_pool import PoolTimeout
from sqlalchemy import make_url, text

from persistence.sql.database import session_timeouts
from persistence.sql.read_pool import make_read_pool, read_connection, rows
from persistence.sql.reads.rows import psycopg_text
from persistence.stats import counting
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy import Engine

    from config.settings import Settings
    from persistence.sql.read_pool import ReadConnection, ReadPool


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[ReadPool]:
    made = make_read_pool(settings.database_url, size=2, session_options=session_timeouts(2.0))
    await made.open(wait=False)
    try:
        yield made
    finally:
        await made.close()


SESSION = psycopg_text(
    "SELECT pg_backend_pid(), current_setting('statement_timeout') WHERE :probe = 1"
)


async def backend_of(pool: ReadPool) -> tuple[int, str, bool]:
    """The read's backend, its statement timeout, and whether the connection was left
    outside any transaction after it (autocommit: no BEGIN, nothing to roll back)."""
    async with read_connection(pool) as connection:
        [found] = await rows(connection, SESSION, {"probe": 1})
        idle = connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        return int(found[0]), str(found[1]), idle


async def test_reads_run_in_autocommit_with_the_statement_timeout_and_are_counted(
    pool: ReadPool,
) -> None:
    # when a read runs inside a request's counting window
    with counting() as stats:
        _, timeout, alone = await backend_of(pool)
        _, _, alone_again = await backend_of(pool)
    # then its session has the engine's statement timeout, no transaction is left open after
    # a read, and the request's query stats count both
    assert timeout == "2s"
    assert alone
    assert alone_again
    assert stats.sql == 2


async def test_connections_postgresql_closed_fail_one_read_and_the_next_gets_a_live_one(
    pool: ReadPool, engine: Engine
) -> None:
    # given two pooled connections, idle
    async with read_connection(pool) as one, read_connection(pool) as other:
        pids = {await _pid(one), await _pid(other)}
    assert len(pids) == 2
    # when PostgreSQL ends both sessions (as a restart would)
    with engine.begin() as admin:
        ended = admin.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
            {"pids": list(pids)},
        ).scalars()
        assert all(ended)
    eventually(lambda: not _alive(engine, pids))
    # then the read that finds a closed one fails
    with pytest.raises(psycopg.OperationalError):
        await backend_of(pool)
    # and the pool, having checked its other idle connection, gives the next read a live one
    pid, _, _ = await backend_of(pool)
    assert pid not in pids


def _alive(engine: Engine, pids: set[int]) -> bool:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)")
        return bool(connection.execute(query, {"pids": list(pids)}).scalar())


async def _pid(connection: ReadConnection) -> int:
    [found] = await rows(connection, psycopg_text("SELECT pg_backend_pid()"), {})
    return int(found[0])


async def test_a_read_fails_at_once_while_postgresql_refuses_connections(
    settings: Settings,
) -> None:
    # given a pool whose server refuses connections (nothing listens on its port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = make_url(settings.database_url).set(port=port)
    refused = make_read_pool(url.render_as_string(hide_password=False), size=2, session_options={})
    refused.timeout = 20.0
    await refused.open(wait=False)
    try:
        # when reads ask for a connection, twice
        for _ in range(2):
            with pytest.raises(psycopg.OperationalError) as failure:
                await backend_of(refused)
            # then each fails with the refusal, not after waiting out the pool's timeout
            assert not isinstance(failure.value, PoolTimeout)
            assert "refused" in str(failure.value)
    finally:
        await refused.close()
