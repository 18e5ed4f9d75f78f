"""Running a JSON read: one statement per pick, cached; its text column parsed by orjson."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from persistence.sql.read_pool import rows

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from persistence.sql.read_pool import ReadConnection

__all__ = ["Statement", "json_values", "psycopg_text", "statement_cache"]

CACHED_STATEMENTS = 256
_DIALECT = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]


class Statement(str):
    """A statement's text as psycopg takes it (`%(name)s` parameters, `%` doubled)."""

    __slots__ = ()


def psycopg_text(sql: str) -> Statement:
    """A statement written with `:name` parameters (as SQLAlchemy's `text` takes them), in
    psycopg's form."""
    return Statement(text(sql).compile(dialect=_DIALECT))


def statement_cache(write: Callable[..., str]) -> Callable[..., Statement]:
    """The statement `write` gives for these arguments, made once (a document's pick repeats)."""

    @functools.lru_cache(maxsize=CACHED_STATEMENTS)
    def made(*args: Any) -> Statement:
        return psycopg_text(write(*args))

    return made


async def json_values(
    connection: ReadConnection, statement: Statement, params: Mapping[str, Any]
) -> list[Any]:
    """The parsed JSON of each row's one text column, in row order (None for a null)."""
    found = await rows(connection, statement, params)
    return [None if value is None else orjson.loads(value) for (value,) in found]
