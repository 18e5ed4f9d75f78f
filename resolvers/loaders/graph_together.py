"""The graph reads of one operation that fall due together share one Neo4j session and one
transaction, instead of one each.

A concept page asks for its prerequisites, chain, dependents, related concepts, relations and
paths at once: each field's loader calls `graph_read` in the same turn of the event loop. The
first call opens a batch and waits until a turn passes with no new read, then runs them all in
one transaction (one query after the other) and hands each its own result. If the shared
transaction fails, each read runs again alone, so that one failing walk fails (or degrades)
its own field only; an unreachable graph fails them all at once, as each would alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Any

from persistence.graph.reading import Work, read_graph, read_graph_together
from resolvers.loaders.graph_errors import GraphReadError, GraphUnavailableError
from resolvers.loaders.graph_guard import guarded_read

if TYPE_CHECKING:
    from collections.abc import Iterator

    from resolvers.resources import ApiResources

__all__ = ["Together", "current_together", "graph_reads_together"]

_current: ContextVar[Together | None] = ContextVar("learngraph_graph_together", default=None)


def current_together() -> Together | None:
    return _current.get()


@contextlib.contextmanager
def graph_reads_together() -> Iterator[Together]:
    """Within the block (one GraphQL operation and the tasks it starts), reads due together
    share a transaction."""
    together = Together()
    token = _current.set(together)
    try:
        yield together
    finally:
        _current.reset(token)


class Together:
    """The reads waiting for the next shared transaction."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self._runs: set[asyncio.Task[None]] = set()

    async def read(self, resources: ApiResources, work: Work) -> Any:
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append((work, answer))
        if len(self._waiting) == 1:
            run = asyncio.create_task(self._run(resources))
            self._runs.add(run)
            run.add_done_callback(self._runs.discard)
        return await answer

    async def finished(self) -> None:
        """Wait for the transactions still running (their callers may have been cancelled),
        so that none outlives its operation."""
        while self._runs:
            await asyncio.gather(*self._runs, return_exceptions=True)

    async def _run(self, resources: ApiResources) -> None:
        seen = 0
        while seen != len(self._waiting):  # until a turn passes with no new read
            seen = len(self._waiting)
            await asyncio.sleep(0)
        batch, self._waiting = self._waiting, []
        if len(batch) == 1:
            await _alone(resources, *batch[0])
            return
        try:
            results = await _shared(resources, [work for work, _ in batch])
        except GraphUnavailableError as error:
            for _, answer in batch:
                _settle(answer, error=error)
        except GraphReadError:
            await asyncio.gather(*(_alone(resources, work, answer) for work, answer in batch))
        except BaseException as error:
            for _, answer in batch:
                _settle(answer, error=error)
            raise
        else:
            for (_, answer), result in zip(batch, results, strict=True):
                _settle(answer, result=result)


async def _shared(resources: ApiResources, works: list[Work]) -> list[Any]:
    return await guarded_read(resources, partial(read_graph_together, resources.driver, works))


async def _alone(resources: ApiResources, work: Work, answer: asyncio.Future[Any]) -> None:
    function, args, kwargs = work
    try:
        run = partial(read_graph, resources.driver, function, *args, **kwargs)
        _settle(answer, result=await guarded_read(resources, run))
    except Exception as error:  # the caller's own read failed: it gets the error
        _settle(answer, error=error)


def _settle(
    answer: asyncio.Future[Any], *, result: Any = None, error: BaseException | None = None
) -> None:
    if answer.done():  # its caller was cancelled meanwhile
        return
    if error is not None:
        answer.set_exception(error)
    else:
        answer.set_result(result)
