"""One field, two stores: a graph batch, and a SQL batch that answers when the graph cannot.

`Federated(graph, sql)` is itself a batch function for `context.loaders.of(...)`. It runs the
graph batch; when the graph gives no answer (unreachable, timed out, failed) it runs the SQL
batch for every key and marks the answers degraded; for keys the graph does not hold yet
(None: not synced) SQL answers too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from persistence.graph.reading import read_graph
from resolvers.loaders.graph_errors import (
    GRAPH_UNAVAILABLE,
    GraphReadError,
    GraphUnavailableError,
)
from resolvers.loaders.graph_guard import COOL_DOWN_SECONDS, guarded_read
from resolvers.loaders.graph_together import current_together
from resolvers.resources import ApiResources

__all__ = [
    "COOL_DOWN_SECONDS",
    "GRAPH_UNAVAILABLE",
    "Answer",
    "Federated",
    "GraphReadError",
    "GraphUnavailableError",
    "graph_read",
    "graph_read_at_once",
    "guarded_read",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


async def graph_read(
    resources: ApiResources, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One bounded read transaction; a GraphReadError (a typed field error) when it fails.

    Inside a GraphQL operation the reads that fall due together share one session and
    transaction (resolvers/loaders/graph_together.py); elsewhere each has its own.
    """
    together = current_together()
    if together is not None:
        result: T = await together.read(resources, (work, args, kwargs))
        return result
    return await graph_read_at_once(resources, work, *args, **kwargs)


async def graph_read_at_once(
    resources: ApiResources, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One bounded read in a session of its own, sent now: for a read started ahead of the
    SQL it overlaps with, which waiting a turn for other graph reads to join it would delay
    behind that statement's own work."""
    return await guarded_read(
        resources, partial(read_graph, resources.driver, work, *args, **kwargs)
    )


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
