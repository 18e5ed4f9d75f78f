"""Read queries against Neo4j, each bounded by a timeout.

A read is one auto-commit query (RUN and PULL in one message, answered in one round trip) rather
than a managed transaction (BEGIN, RUN, PULL, then COMMIT: a round trip more, and the CPU of two
more messages on both sides). Neo4j reads at READ COMMITTED, so several queries inside one
transaction would not see one snapshot either: the transaction bought nothing for a read. The
queries an operation runs together share one session (one pooled connection), one after the
other. A read failing with an error the driver calls retryable (a stale pooled connection, a
server briefly unavailable) is run again, as the driver's managed transactions would: after
about a second, and once more if that retry came early enough to begin another within
READ_RETRY_SECONDS of it: two or three tries in all.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncResult, Query
from neo4j.exceptions import DriverError, Neo4jError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_before_delay,
    wait_random,
)

from persistence.stats import note_cypher_query

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from neo4j import AsyncSession

__all__ = ["READ_RETRY_SECONDS", "GraphReader", "Work", "read_graph", "read_graph_together"]

T = TypeVar("T")
# a read function with its arguments: work(reader, *args, **kwargs)
Work = tuple["Callable[..., Awaitable[Any]]", tuple[Any, ...], dict[str, Any]]
# a read is not run again later than this after its first retry began
READ_RETRY_SECONDS = 1.0
# the driver's delay before each retry: about a second, with 20% jitter
RETRY_DELAY_SECONDS = (0.8, 1.2)
# a query that starts when no time is left still goes out: Neo4j ends it (a timed-out read)
MIN_TIMEOUT_SECONDS = 0.001


class GraphReader(Protocol):
    """What a read function is given: `run` sends one bounded read query."""

    async def run(
        self, query: str, parameters: dict[str, Any] | None = None, /, **kwargs: Any
    ) -> AsyncResult:
        """The query's result (consume it before the next `run`)."""
        ...


class _BoundedReads:
    """A session's auto-commit read queries, ended by Neo4j once `timeout_seconds` have passed
    since the first began (each is given what is left), as one transaction's would be."""

    def __init__(self, session: AsyncSession, timeout_seconds: float) -> None:
        self._session = session
        self._deadline = time.monotonic() + timeout_seconds

    async def run(
        self, query: str, parameters: dict[str, Any] | None = None, /, **kwargs: Any
    ) -> AsyncResult:
        note_cypher_query()
        left = max(self._deadline - time.monotonic(), MIN_TIMEOUT_SECONDS)
        bounded = Query(query, timeout=left)
        return await self._session.run(bounded, parameters, **kwargs)


def _retryable(error: BaseException) -> bool:
    return isinstance(error, DriverError | Neo4jError) and error.is_retryable()


def _retrying() -> AsyncRetrying:
    return AsyncRetrying(
        retry=retry_if_exception(_retryable),
        wait=wait_random(*RETRY_DELAY_SECONDS),
        stop=stop_before_delay(READ_RETRY_SECONDS),
        reraise=True,
    )


async def read_graph(
    driver: AsyncDriver,
    work: Callable[..., Awaitable[T]],
    *args: Any,
    database: str,
    timeout_seconds: float,
    **kwargs: Any,
) -> T:
    """Run one read function, its queries bounded; run again on a retryable failure.

    Each query counts as one Cypher query in the request's query stats.
    """

    async def attempt() -> T:
        async with driver.session(database=database, default_access_mode=READ_ACCESS) as s:
            return await work(_BoundedReads(s, timeout_seconds), *args, **kwargs)

    try:  # the retries' machinery only once a read has failed
        return await attempt()
    except Exception as error:
        if not _retryable(error):
            raise
    await asyncio.sleep(random.uniform(*RETRY_DELAY_SECONDS))  # noqa: S311 (a jitter)
    return await _retrying()(attempt)


async def read_graph_together(
    driver: AsyncDriver, works: list[Work], *, database: str, timeout_seconds: float
) -> list[Any]:
    """Run several read functions one after the other in one session (run again as a whole
    on a retryable failure); their results in order."""

    async def all_of(reader: GraphReader) -> list[Any]:
        return [await work(reader, *args, **kwargs) for work, args, kwargs in works]

    return await read_graph(driver, all_of, database=database, timeout_seconds=timeout_seconds)
