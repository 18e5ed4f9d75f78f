"""One field, two stores: a graph batch, and a SQL batch that answers when the graph cannot.

`Federated(graph, sql)` is itself a batch function for `context.loaders.of(...)`. It runs the
graph batch; when Neo4j is unreachable it runs the SQL batch for every key and marks the
answers degraded; for keys the graph does not hold yet (None: not synced) SQL answers too.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphql import GraphQLError
from neo4j import AsyncDriver
from neo4j.exceptions import (
    ConnectionPoolError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from persistence.graph.reading import read_graph
from resolvers.resources import ApiResources

__all__ = [
    "GRAPH_UNAVAILABLE",
    "Answer",
    "Federated",
    "GraphUnavailableError",
    "graph_read",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

GRAPH_UNAVAILABLE = "the knowledge graph is unavailable; try again shortly"
# What "Neo4j cannot answer now" looks like once the driver has given up retrying: no server
# or connection (ServiceUnavailable, SessionExpired, OSError), no pooled connection in time
# (ConnectionAcquisitionTimeoutError), a server still starting or overloaded (TransientError,
# DatabaseUnavailable), or the read's own deadline (TimeoutError, an OSError).
# Client errors (bad Cypher, auth) are bugs, not outages: they stay unexpected errors.
UNREACHABLE = (ServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, OSError)
# After a failure, skip the graph for a moment: each attempt costs the driver's retry time.
COOL_DOWN_SECONDS = 3.0
# The client gives up this long after the server's own transaction timeout would have.
DEADLINE_MARGIN_SECONDS = 2.0

_down_until: weakref.WeakKeyDictionary[AsyncDriver, float] = weakref.WeakKeyDictionary()


class GraphUnavailableError(GraphQLError):
    """Neo4j cannot be reached: a field error that is shown to clients as it is."""

    def __init__(self) -> None:
        super().__init__(GRAPH_UNAVAILABLE, extensions={"code": "GRAPH_UNAVAILABLE"})


async def graph_read(
    resources: ApiResources, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One bounded read transaction; GraphUnavailableError when Neo4j is unreachable.

    Bounded twice: the driver's retries (persistence/graph/driver.py) and a deadline just past
    the server's transaction timeout. A cancellation of the caller propagates unchanged.
    """
    driver = resources.driver
    if _down_until.get(driver, 0.0) > time.monotonic():
        raise GraphUnavailableError
    settings = resources.settings
    timeout = settings.neo4j_transaction_timeout_seconds
    try:
        async with asyncio.timeout(timeout + DEADLINE_MARGIN_SECONDS):
            return await read_graph(
                driver,
                work,
                *args,
                database=settings.neo4j_database,
                timeout_seconds=timeout,
                **kwargs,
            )
    except UNREACHABLE as error:
        raise _marked_down(driver) from error  # the cause stays in the server's log


def _marked_down(driver: AsyncDriver) -> GraphUnavailableError:
    _down_until[driver] = time.monotonic() + COOL_DOWN_SECONDS
    return GraphUnavailableError()


@dataclass(frozen=True)
class Answer(Generic[V]):
    """A field's value and whether SQL gave it because the graph was unavailable."""

    value: V
    degraded: bool = False


GraphBatch = Callable[[ApiResources, list[K]], Awaitable[list[V | None]]]
SqlBatch = Callable[[ApiResources, list[K]], Awaitable[list[V]]]


@dataclass(frozen=True)
class Federated(Generic[K, V]):
    """A batch function over both stores (see the module docstring)."""

    graph: GraphBatch[K, V]
    sql: SqlBatch[K, V]

    async def __call__(self, resources: ApiResources, keys: list[K]) -> list[Answer[V]]:
        try:
            found = await self.graph(resources, keys)
        except GraphUnavailableError:
            return [Answer(value, degraded=True) for value in await self.sql(resources, keys)]
        missing = [key for key, value in zip(keys, found, strict=True) if value is None]
        filled = (
            dict(zip(missing, await self.sql(resources, missing), strict=True)) if missing else {}
        )
        return [
            Answer(value if value is not None else filled[key])
            for key, value in zip(keys, found, strict=True)
        ]
