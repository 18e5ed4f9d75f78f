"""The three servers a read benchmark compares, each behind the same counting wrapper.

`uvicorn --factory benchmarks.served:ours|naive|direct`. The wrapper counts, per request, the
SQL statements (psycopg cursor executes) and Cypher queries (neo4j runs) the request issued and
returns them in the `x-round-trips` header ("sql,cypher"), so every server is counted alike.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import neo4j
import psycopg

__all__ = ["direct", "naive", "ours"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_counts: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("counts", default=None)


def _counted(method: Callable[..., Any], slot: int) -> Callable[..., Any]:
    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        counts = _counts.get()
        if counts is not None:
            counts[slot] += 1
        return await method(*args, **kwargs)

    return wrapper


def _install_counters() -> None:
    if getattr(psycopg.AsyncCursor, "_bench_counted", False):
        return
    psycopg.AsyncCursor.execute = _counted(psycopg.AsyncCursor.execute, 0)  # type: ignore[method-assign]
    psycopg.AsyncCursor.executemany = _counted(psycopg.AsyncCursor.executemany, 0)  # type: ignore[method-assign]
    neo4j.AsyncManagedTransaction.run = _counted(neo4j.AsyncManagedTransaction.run, 1)  # type: ignore[method-assign]
    neo4j.AsyncSession.run = _counted(neo4j.AsyncSession.run, 1)  # type: ignore[method-assign]
    psycopg.AsyncCursor._bench_counted = True  # type: ignore[attr-defined]


def counting(app: App) -> App:
    """The app, answering /ping itself and reporting each request's round trips in a header."""
    _install_counters()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope["path"] == "/ping":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})
            return
        counts = [0, 0]
        token = _counts.set(counts)

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                header = (b"x-round-trips", f"{counts[0]},{counts[1]}".encode())
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await app(scope, receive, send_counted)
        finally:
            _counts.reset(token)

    return wrapped


def ours() -> App:
    from schema.app import create_app

    return counting(create_app())


def naive() -> App:
    from benchmarks.naive import create_naive_app

    return counting(create_naive_app())


def direct() -> App:
    from benchmarks.direct import create_direct_app

    return counting(create_direct_app())
