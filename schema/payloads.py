"""Running a mutation: expected failures become `errors`, everything else propagates."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import fields as dataclass_fields
from typing import Any, TypeVar

import strawberry

from domain.errors import UserErrors
from schema.errors import user_errors

__all__ = ["input_fields", "returning_errors"]

P = TypeVar("P")


async def returning_errors(work: Callable[[], Awaitable[P]], payload: Callable[..., P]) -> P:
    """The payload work builds, or payload(errors=[...]) when it raised UserErrors."""
    try:
        return await work()
    except UserErrors as failure:
        return payload(errors=user_errors(failure.errors))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def input_fields(value: Any) -> dict[str, Any]:
    """A strawberry input as a dict of the fields the client set, enums as their stored words."""
    given = ((field.name, getattr(value, field.name)) for field in dataclass_fields(value))
    return {name: _plain(item) for name, item in given if item is not strawberry.UNSET}
