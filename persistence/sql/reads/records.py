"""A model's row as PostgreSQL's JSON gives it, back with the types its columns have.

JSON has no timestamps, dates or UUIDs, and writes 50.0 as 50; each column of these types is
parsed again (the parsers derived from the model once), so a record answers the same
attributes with the same values as a row read by `read_models` does.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Date, DateTime, Float, Uuid

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import DeclarativeBase

__all__ = ["json_object", "record", "records"]

M = TypeVar("M", bound="DeclarativeBase")
_PARSERS: tuple[tuple[type[Any], Callable[[Any], Any]], ...] = (
    (DateTime, datetime.fromisoformat),
    (Date, date.fromisoformat),
    (Uuid, uuid.UUID),
    (Float, float),
)


@cache
def _parsers(model: type[DeclarativeBase]) -> dict[str, Callable[[Any], Any]]:
    found = {}
    for column in model.__table__.columns:
        parse = next((p for kind, p in _PARSERS if isinstance(column.type, kind)), None)
        if parse is not None:
            found[column.name] = parse
    return found


class Record:
    """A row as JSON gave it; each column is typed again when it is read (most never are)."""

    __slots__ = ("_parsers", "_values")

    def __init__(self, values: dict[str, Any], parsers: dict[str, Callable[[Any], Any]]) -> None:
        self._values = values
        self._parsers = parsers

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._values[name]
        except KeyError:
            raise AttributeError(name) from None
        parse = self._parsers.get(name)
        return value if parse is None or value is None else parse(value)


def record(model: type[M], values: dict[str, Any]) -> M:
    """The row these JSON values stand for; read-only code cannot tell it from an instance
    (every column is mapped under its own name). Never change it or add it to a session."""
    return cast("M", Record(values, _parsers(model)))


def records(model: type[M], items: list[dict[str, Any]] | None) -> list[M]:
    return [record(model, values) for values in items or ()]


@cache
def json_object(model: type[DeclarativeBase], alias: str, omit: tuple[str, ...] = ()) -> str:
    """SQL: the JSON object of a row of the model's table named `alias`, every column by name
    but those omitted (a record then lacks them)."""
    columns = [c.name for c in model.__table__.columns if c.name not in omit]
    return "json_build_object({})".format(", ".join(f"'{n}', {alias}.\"{n}\"" for n in columns))
