"""Per-request counts of the statements sent to each store, for `extensions.queryStats`.

A caller (the GraphQL extension) opens a window with `counting()`; persistence code notes each
SQL statement and Cypher query it sends. Outside a window nothing is counted.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "QueryStats",
    "count_sql_statements",
    "counting",
    "note_cypher_query",
    "note_sql_statement",
]


@dataclass
class QueryStats:
    """Statements sent while a window was open (shared by every task of the request)."""

    sql: int = 0
    cypher: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sql": self.sql, "cypher": self.cypher}


_current: ContextVar[QueryStats | None] = ContextVar("learngraph_query_stats", default=None)


@contextmanager
def counting() -> Iterator[QueryStats]:
    """Counts what the current context (and the tasks it starts) sends to the stores."""
    stats = QueryStats()
    token = _current.set(stats)
    try:
        yield stats
    finally:
        _current.reset(token)


def note_cypher_query() -> None:
    stats = _current.get()
    if stats is not None:
        stats.cypher += 1


def note_sql_statement() -> None:
    stats = _current.get()
    if stats is not None:
        stats.sql += 1


def _note_sql_statement(*_: Any) -> None:
    note_sql_statement()


def count_sql_statements(engine: Engine) -> None:
    """Attach the counter to an engine (for an AsyncEngine, pass its sync_engine)."""
    if not event.contains(engine, "before_cursor_execute", _note_sql_statement):
        event.listen(engine, "before_cursor_execute", _note_sql_statement)
