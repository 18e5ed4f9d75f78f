"""One field, two stores: a graph batch, and a SQL batch that answers when the graph cannot.

`Federated(graph, sql)` is itself a batch function for `context.loaders.of(...)`. It runs the
graph batch; when the graph gives no answer (unreachable, timed out, failed) it runs the SQL
batch for every key and marks the answers degraded; for keys the graph does not hold yet
(None: not synced) SQL answers too.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from persistence.graph.reading import read_graph
from resolvers.loaders.graph_errors import (
    GRAPH_UNAVAILABLE,
    GraphReadError,
    GraphTimeoutError,
    GraphUnavailableError,
    classified,
)
from resolvers.resources import ApiResources

if TYPE_CHECKING:
    from neo4j import AsyncDriver

__all__ = [
    "GRAPH_UNAVAILABLE",
    "Answer",
    "Federated",
    "GraphReadError",
    "GraphUnavailableError",
    "graph_read",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

# After Neo4j could not be reached, skip it for a moment: each attempt costs the driver's
# retry time.
COOL_DOWN_SECONDS = 3.0
# The client gives up this long after the server's own transaction timeout would have: more
# than Neo4j's check for timed-out transactions takes (every 2 s), so a server that answers
# at all ends a slow read itself.
DEADLINE_MARGIN_SECONDS = 3.0

_down_until: weakref.WeakKeyDictionary[AsyncDriver, float] = weakref.WeakKeyDictionary()


async def graph_read(
    resources: ApiResources, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One bounded read transaction; a GraphReadError (a typed field error) when it fails.

    Bounded twice: the driver's retries (persistence/graph/driver.py) and a deadline just past
    the server's transaction timeout. A read that ran past the timeout is GraphTimeoutError;
    an unreachable server is GraphUnavailableError; any other refusal is GraphFailedError.
    When the server did not even end a read by the deadline, or could not be reached, Neo4j
    is skipped for COOL_DOWN_SECONDS. A cancellation of the caller propagates unchanged.
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
    except TimeoutError as error:
        _down_until[driver] = time.monotonic() + COOL_DOWN_SECONDS
        raise GraphTimeoutError(timeout) from error
    except Exception as error:
        failure = classified(error, timeout_seconds=timeout)
        if failure is None:
            raise
        if isinstance(failure, GraphUnavailableError):
            _down_until[driver] = time.monotonic() + COOL_DOWN_SECONDS
        raise failure from error  # the cause stays in the server's log


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
        except GraphReadError:
            return [Answer(value, degraded=True) for value in await self.sql(resources, keys)]
        missing = [key for key, value in zip(keys, found, strict=True) if value is None]
        filled = (
            dict(zip(missing, await self.sql(resources, missing), strict=True)) if missing else {}
        )
        return [
            Answer(value if value is not None else filled[key])
            for key, value in zip(keys, found, strict=True)
        ]
