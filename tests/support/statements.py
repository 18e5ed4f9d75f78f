"""The SQL statements the API sends, seen from the test (no store is faked: these are hooks)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event

from persistence.sql.read_pool import observing_reads

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["counted_statements"]


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement this process sends inside the block: through any SQLAlchemy engine,
    and the API's JSON reads on their own pool (persistence/sql/read_pool.py)."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(Engine, "before_cursor_execute", note)
    try:
        with observing_reads(seen.append):
            yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)
