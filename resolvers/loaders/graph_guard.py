"""A graph read bounded in time and its failures classified as typed field errors."""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import TYPE_CHECKING, TypeVar

from resolvers.loaders.graph_errors import (
    GraphTimeoutError,
    GraphUnavailableError,
    classified,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from neo4j import AsyncDriver

    from resolvers.resources import ApiResources

__all__ = ["COOL_DOWN_SECONDS", "guarded_read"]

T = TypeVar("T")

# After Neo4j could not be reached, skip it for a moment: each attempt costs the driver's
# retry time.
COOL_DOWN_SECONDS = 3.0
# The client gives up this long after the server's own transaction timeout would have: more
# than Neo4j's check for timed-out transactions takes (every 2 s), so a server that answers
# at all ends a slow read itself.
DEADLINE_MARGIN_SECONDS = 3.0

_down_until: weakref.WeakKeyDictionary[AsyncDriver, float] = weakref.WeakKeyDictionary()


async def guarded_read(resources: ApiResources, run: Callable[..., Awaitable[T]]) -> T:
    """A graph read `run(database=..., timeout_seconds=...)`, bounded and classified.

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
            return await run(database=settings.neo4j_database, timeout_seconds=timeout)
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
