"""Read transactions against Neo4j, each bounded by a timeout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction, unit_of_work

from persistence.stats import note_cypher_query

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

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
        return await session.execute_read(bounded)


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
        return await session.execute_read(bounded)
