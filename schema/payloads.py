"""Running a mutation: expected failures become `errors`, everything else propagates."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import fields as dataclass_fields
from typing import Any, TypeVar

import strawberry

from domain.errors import UserErrors
from schema.errors import UserError, user_errors

__all__ = ["errors_field", "input_fields", "returning_errors", "sync_token_field"]

P = TypeVar("P")


def errors_field() -> list[UserError]:
    """A payload's `errors`: empty on success; on an expected failure nothing was written."""
    return strawberry.field(  # type: ignore[no-any-return]
        default_factory=list,
        description="Expected failures (bad input, not found, forbidden...); empty on success. "
        "When not empty, nothing was written and the other fields are null.",
    )


def sync_token_field() -> str | None:
    """A graph-affecting payload's `syncToken`."""
    return strawberry.field(  # type: ignore[no-any-return]
        default=None,
        description="Send it back as the X-Sync-Token header: that query waits (bounded) until "
        "the knowledge graph holds this change. Null on failure or when nothing changed.",
    )


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
