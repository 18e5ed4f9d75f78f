"""Spans around the Neo4j driver's calls (it has no OpenTelemetry instrumentation of its own).

A transaction function run by `execute_read`/`execute_write` gets a span named after it, and
each Cypher query inside gets a child span with its text (`db.statement`, never its
parameters). Patched once per process, for the sync and the async driver alike.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from opentelemetry import trace

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["instrument_neo4j"]

STATEMENT_CHARS = 2000
_tracer = trace.get_tracer("learngraph.neo4j")


def _attributes(statement: object = None, database: object = None) -> dict[str, str]:
    attributes = {"db.system": "neo4j"}
    if isinstance(statement, str):
        attributes["db.statement"] = statement[:STATEMENT_CHARS]
    if isinstance(database, str):
        attributes["db.name"] = database
    return attributes


def _function_name(args: tuple[Any, ...]) -> str:
    work = args[0] if args else None
    return getattr(work, "__name__", "transaction")


def _traced_work(method: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        name = f"neo4j.{kind} {_function_name(args)}"
        with _tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT) as span:
            span.set_attributes(_attributes())
            return method(self, *args, **kwargs)

    return traced


def _traced_async_work(method: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @functools.wraps(method)
    async def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        name = f"neo4j.{kind} {_function_name(args)}"
        with _tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT) as span:
            span.set_attributes(_attributes())
            return await method(self, *args, **kwargs)

    return traced


def _traced_query(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def traced(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        attributes = _attributes(query, kwargs.get("database_"))
        with _tracer.start_as_current_span("neo4j.query", kind=trace.SpanKind.CLIENT) as span:
            span.set_attributes(attributes)
            return method(self, query, *args, **kwargs)

    return traced


def _traced_async_query(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def traced(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        attributes = _attributes(query, kwargs.get("database_"))
        with _tracer.start_as_current_span("neo4j.query", kind=trace.SpanKind.CLIENT) as span:
            span.set_attributes(attributes)
            return await method(self, query, *args, **kwargs)

    return traced


def instrument_neo4j() -> None:
    import neo4j

    if getattr(neo4j.Session, "_learngraph_traced", False):
        return
    for session, wrap in ((neo4j.Session, _traced_work), (neo4j.AsyncSession, _traced_async_work)):
        session.execute_read = wrap(session.execute_read, "read")  # type: ignore[method-assign]
        session.execute_write = wrap(session.execute_write, "write")  # type: ignore[method-assign]
    neo4j.ManagedTransaction.run = _traced_query(neo4j.ManagedTransaction.run)  # type: ignore[method-assign]
    neo4j.AsyncManagedTransaction.run = _traced_async_query(neo4j.AsyncManagedTransaction.run)  # type: ignore[method-assign]
    neo4j.Session.run = _traced_query(neo4j.Session.run)  # type: ignore[method-assign]
    neo4j.AsyncSession.run = _traced_async_query(neo4j.AsyncSession.run)  # type: ignore[method-assign]
    neo4j.Session._learngraph_traced = True  # type: ignore[attr-defined]
