"""Running a JSON read: one statement per pick, cached; its text column parsed by orjson."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import TextClause, text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["json_values", "statement_cache"]

CACHED_STATEMENTS = 256


def statement_cache(write: Callable[..., str]) -> Callable[..., TextClause]:
    """The statement `write` gives for these arguments, made once (a document's pick repeats)."""

    @functools.lru_cache(maxsize=CACHED_STATEMENTS)
    def made(*args: Any) -> TextClause:
        return text(write(*args))

    return made


async def json_values(
    connection: AsyncConnection, statement: TextClause, params: Mapping[str, Any]
) -> list[Any]:
    """The parsed JSON of each row's one text column, in row order (None for a null)."""
    found = await connection.execute(statement, dict(params))
    return [None if value is None else orjson.loads(value) for value in found.scalars()]
