"""Running a statement whose one value is a JSON document (`rows.psycopg_text` statements)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from persistence.sql.read_pool import rows

if TYPE_CHECKING:
    from collections.abc import Mapping

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.rows import Statement

__all__ = ["read_document", "read_documents"]


async def read_document(
    connection: ReadConnection, statement: Statement, params: Mapping[str, Any]
) -> Any | None:
    """The JSON value of the statement's one row and column (sent as text, decoded by orjson);
    None when it returns no row."""
    found = await rows(connection, statement, params)
    return None if not found or found[0][0] is None else orjson.loads(found[0][0])


async def read_documents(
    connection: ReadConnection, statement: Statement, params: Mapping[str, Any]
) -> list[tuple[Any, Any]]:
    """(key, decoded JSON) for each row of a statement returning a key and a JSON text."""
    return [(key, orjson.loads(value)) for key, value in await rows(connection, statement, params)]
