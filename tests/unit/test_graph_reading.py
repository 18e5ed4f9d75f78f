"""Graph reads: auto-commit queries sharing one deadline, run again on retryable failures."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase, Query
from neo4j.exceptions import ClientError, SessionExpired

from persistence.graph import reading
from persistence.graph.reading import GraphReader, _BoundedReads, read_graph


class RecordingSession:
    """Stands for a session: keeps the queries it is given (no IO)."""

    def __init__(self) -> None:
        self.sent: list[Query] = []

    async def run(self, query: Query, parameters: Any = None, **kwargs: Any) -> None:
        self.sent.append(query)


def test_the_queries_of_one_read_share_one_deadline() -> None:
    async def check() -> None:
        session = RecordingSession()
        reads = _BoundedReads(session, 5.0)  # type: ignore[arg-type]
        await reads.run("RETURN 1")
        reads._deadline = time.monotonic() + 2.0  # three seconds later
        await reads.run("RETURN 2")
        reads._deadline = time.monotonic() - 1.0  # past the deadline
        await reads.run("RETURN 3")
        first, second, third = (query.timeout or 0.0 for query in session.sent)
        assert 4.9 < first <= 5.0
        assert 1.9 < second <= 2.0
        # a query begun with no time left is still bounded: Neo4j ends it at once
        assert third == reading.MIN_TIMEOUT_SECONDS
        assert [query.text for query in session.sent] == ["RETURN 1", "RETURN 2", "RETURN 3"]

    asyncio.run(check())


def attempts_of(failure: Exception, *, times: int = 1) -> tuple[list[int], Any]:
    """A read that fails `times` times with `failure` and then answers, and the calls it got."""
    calls: list[int] = []

    async def flaky(reader: GraphReader) -> str:
        calls.append(1)
        if len(calls) <= times:
            raise failure
        return "answer"

    async def run() -> str:
        # no query is sent: the session never opens a connection
        driver = AsyncGraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "unused"))
        try:
            return await read_graph(driver, flaky, database="neo4j", timeout_seconds=1.0)
        finally:
            await driver.close()

    return calls, run


def test_a_read_failing_with_a_retryable_error_is_run_again() -> None:
    calls, run = attempts_of(SessionExpired("the pooled connection was closed"))
    assert asyncio.run(run()) == "answer"
    assert len(calls) == 2


def test_a_read_refused_by_the_server_is_not_run_again() -> None:
    calls, run = attempts_of(ClientError("Invalid input"))
    with pytest.raises(ClientError):
        asyncio.run(run())
    assert len(calls) == 1


def test_a_read_that_keeps_failing_is_given_up_after_a_bounded_number_of_tries() -> None:
    calls, run = attempts_of(SessionExpired("no server"), times=100)
    with pytest.raises(SessionExpired):
        asyncio.run(run())
    # about a second apart, none beginning later than READ_RETRY_SECONDS after the first retry
    assert 2 <= len(calls) <= 3
