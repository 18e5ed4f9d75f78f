"""GraphQL inputs become the resolvers' typed commands (resolvers/commands.py)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, TypeVar

import strawberry

from resolvers.commands import Command

__all__ = ["command", "given_fields", "optional"]

C = TypeVar("C", bound=Command)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return given_fields(value)
    return value


def given_fields(value: Any) -> dict[str, Any]:
    """A strawberry input as a dict of the fields the client set (or that have a default),
    nested inputs as dicts, enums as their stored words."""
    given = ((field.name, getattr(value, field.name)) for field in dataclasses.fields(value))
    return {name: _plain(item) for name, item in given if item is not strawberry.UNSET}


def optional(description: str) -> Any:
    """An input field the client may leave out (UNSET: not given, so a partial update leaves
    it alone) or set, to null too where its type allows."""
    return strawberry.field(default=strawberry.UNSET, description=description)


def command(value: Any, kind: type[C]) -> C:
    """The command kind built from a strawberry input, knowing which fields were given."""
    return kind.model_validate(given_fields(value))
