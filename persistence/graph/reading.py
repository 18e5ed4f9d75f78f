"""Read transactions against Neo4j, each bounded by a timeout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction, unit_of_work

from persistence.stats import note_cypher_query

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["read_graph"]

T = TypeVar("T")


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
