"""Read transactions against Neo4j, each bounded by a timeout.

A read's BEGIN goes out with its first query, as the driver's own `execute_query` sends it,
instead of waiting for its answer first: one round trip less per read.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction, unit_of_work

from persistence.stats import note_cypher_query

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from contextlib import AbstractContextManager

    from neo4j import AsyncSession

__all__ = ["Work", "read_graph", "read_graph_together"]

T = TypeVar("T")
# a transaction function with its arguments: work(tx, *args, **kwargs)
Work = tuple["Callable[..., Awaitable[Any]]", tuple[Any, ...], dict[str, Any]]


async def read_graph(
    driver: AsyncDriver,
    work: Callable[..., Awaitable[T]],
    *args: Any,
    database: str,
    timeout_seconds: float,
    **kwargs: Any,
) -> T:
    """Run one read transaction function, retried by the driver on transient errors.

    Each attempt counts as one Cypher query in the request's query stats: the work functions
    of persistence/graph run one query per transaction.
    """

    @unit_of_work(timeout=timeout_seconds)
    async def bounded(tx: AsyncManagedTransaction) -> T:
        note_cypher_query()
        return await work(tx, *args, **kwargs)

    async with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        with _pipelined_begin(session):
            return await session.execute_read(bounded)


def _pipelined_begin(session: AsyncSession) -> AbstractContextManager[Any]:
    """Within it, the session's transactions send BEGIN with their first query (the switch
    `driver.execute_query` sets; a driver without it begins as before: correct, one round
    trip slower). A failed BEGIN fails that first query, which the driver retries or raises
    as it does a failed BEGIN."""
    switch: AbstractContextManager[Any] | None = getattr(session, "_pipelined_begin", None)
    return switch if switch is not None else contextlib.nullcontext()


async def read_graph_together(
    driver: AsyncDriver, works: list[Work], *, database: str, timeout_seconds: float
) -> list[Any]:
    """Run several read transaction functions one after the other in one session and one
    transaction (retried as a whole); their results in order. Each counts as one query."""

    @unit_of_work(timeout=timeout_seconds)
    async def bounded(tx: AsyncManagedTransaction) -> list[Any]:
        results = []
        for work, args, kwargs in works:
            note_cypher_query()
            results.append(await work(tx, *args, **kwargs))
        return results

    async with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        with _pipelined_begin(session):
            return await session.execute_read(bounded)
