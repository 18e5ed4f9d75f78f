"""Per-request DataLoaders, one per batch function, made on first use.

Fields of one request share a loader's futures (same key, same future), and graphql-core
cancels the sibling fields of a failed non-null field. Awaited directly, the shared future
would be cancelled with the first of them and raise CancelledError in every other field waiting
for the same key (an HTTP 500). So each caller awaits a shield of it, and the shared future
(and with it the batch, see strawberry's DataLoader) is cancelled only when its last caller is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase
from strawberry.dataloader import DataLoader

from config.tracing import tracer, tracing_active
from persistence.sql.read_pool import ReadConnection, read_connection
from resolvers.resources import ApiResources

__all__ = [
    "BatchFn",
    "Loaders",
    "SharedLoader",
    "grouped_by",
    "in_key_order",
    "read_models",
    "read_rows",
    "read_session",
    "reading",
    "rows_of",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")
M = TypeVar("M", bound=DeclarativeBase)

BatchFn = Callable[[ApiResources, list[K]], Awaitable[Sequence[V]]]


@contextlib.asynccontextmanager
async def read_session(resources: ApiResources) -> AsyncIterator[AsyncSession]:
    """A session for one batch of reads on an autocommit connection.

    A batch is one SELECT: in autocommit it is one round trip, where a session's own
    transaction would add a BEGIN before it and a ROLLBACK at close. Never write with it.
    """
    async with (
        _autocommit(resources) as connection,
        AsyncSession(bind=connection, expire_on_commit=False) as session,
    ):
        yield session


@contextlib.asynccontextmanager
async def _autocommit(resources: ApiResources) -> AsyncIterator[AsyncConnection]:
    """A connection of the engine in autocommit, for reads through SQLAlchemy."""
    async with resources.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def reading(resources: ApiResources) -> contextlib.AbstractAsyncContextManager[ReadConnection]:
    """A connection of the JSON reads' pool (persistence/sql/reads): autocommit, so a SELECT
    is one round trip, with no BEGIN before it and no ROLLBACK after. Never write with it."""
    return read_connection(resources.reads)


async def read_rows(resources: ApiResources, statement: Select[Any]) -> Sequence[Row[Any]]:
    """The rows of one SELECT on an autocommit connection: no ORM session, no entities."""
    async with _autocommit(resources) as connection:
        rows: Sequence[Row[Any]] = (await connection.execute(statement)).all()
        return rows


def rows_of(model: type[M]) -> Select[Any]:
    """A SELECT of every column of a model's table, for `read_models`."""
    return select(model.__table__)


async def read_models(resources: ApiResources, model: type[M], statement: Select[Any]) -> list[M]:
    """A model's rows (a `rows_of(model)` SELECT), read as plain rows standing in for instances.

    Every column is mapped under its own name, so a row has the instance's attributes and
    read-only code cannot tell them apart, while ORM entities (identity map, instance state,
    events) cost more CPU than the statement itself (benchmarks/profiles). Never change what
    this returns, add it to a session or follow its relationships.
    """
    return cast("list[M]", list(await read_rows(resources, statement)))


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose callers can be cancelled without cancelling each other's loads."""

    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        super().__init__(load_fn=load_fn)
        self._callers: dict[asyncio.Future[V], int] = {}

    def load(self, key: K) -> Awaitable[V]:
        shared = cast("asyncio.Future[V]", super().load(key))
        self._callers[shared] = self._callers.get(shared, 0) + 1
        return self._await(shared)

    def start(self, key: K) -> asyncio.Future[V]:
        """Start loading key without waiting for it (a later `load` of key takes the same
        answer); the returned future's failure, if nobody loads key, is for the caller."""
        return cast("asyncio.Future[V]", super().load(key))

    async def _await(self, shared: asyncio.Future[V]) -> V:
        try:
            return await asyncio.shield(shared)
        except asyncio.CancelledError:
            if self._callers[shared] == 1:  # nobody else waits for it
                shared.cancel()
            raise
        finally:
            self._callers[shared] -= 1
            if not self._callers[shared]:
                del self._callers[shared]


class Loaders:
    """Hands out one DataLoader per batch function for the life of a request."""

    def __init__(self, resources: ApiResources) -> None:
        self._resources = resources
        self._made: dict[Any, SharedLoader[Any, Any]] = {}

    def of(self, batch: BatchFn[K, V]) -> SharedLoader[K, V]:
        if batch not in self._made:
            self._made[batch] = SharedLoader(load_fn=traced_batch(batch, self._resources))
        return self._made[batch]


def traced_batch(
    batch: BatchFn[K, V], resources: ApiResources
) -> Callable[[list[K]], Awaitable[Sequence[V]]]:
    """The batch function bound to the resources; a span per batch while tracing is on."""
    load = partial(batch, resources)
    if not tracing_active():
        return load
    name = f"dataloader {getattr(batch, '__name__', 'batch')}"

    async def traced(keys: list[K]) -> Sequence[V]:
        with tracer(__name__).start_as_current_span(name) as span:
            span.set_attribute("dataloader.keys", len(keys))
            return await load(keys)

    return traced


def in_key_order(rows: Iterable[R], keys: Sequence[K], key: Callable[[R], K]) -> list[R | None]:
    """One row per key, in key order, None where a key has no row."""
    found = {key(row): row for row in rows}
    return [found.get(wanted) for wanted in keys]


def grouped_by(rows: Iterable[R], keys: Sequence[K], key: Callable[[R], K]) -> list[list[R]]:
    """Rows gathered per key, in key order, an empty list where a key has none."""
    groups: dict[K, list[R]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(wanted, []) for wanted in keys]
