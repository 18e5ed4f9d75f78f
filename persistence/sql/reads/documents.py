"""Running a statement whose one value is a JSON document (parameters as `:name`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlalchemy import TextClause
    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["read_document", "read_documents"]


async def read_document(
    connection: AsyncConnection, statement: TextClause, params: Mapping[str, Any]
) -> Any | None:
    """The JSON value of the statement's one row and column (sent as text, decoded by orjson);
    None when it returns no row."""
    value = (await connection.execute(statement, dict(params))).scalar()
    return None if value is None else orjson.loads(value)


async def read_documents(
    connection: AsyncConnection, statement: TextClause, params: Mapping[str, Any]
) -> list[tuple[Any, Any]]:
    """(key, decoded JSON) for each row of a statement returning a key and a JSON text."""
    rows: Sequence[Any] = (await connection.execute(statement, dict(params))).all()
    return [(row[0], orjson.loads(row[1])) for row in rows]
