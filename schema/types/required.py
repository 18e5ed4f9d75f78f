"""A related row that foreign keys guarantee, for fields that are never null."""

from __future__ import annotations

from typing import TypeVar

from graphql import GraphQLError

__all__ = ["required"]

T = TypeVar("T")


def required(row: T | None, what: str) -> T:
    """The row; None only when it was deleted while the request ran: a clear NOT_FOUND error."""
    if row is None:
        raise GraphQLError(f"the {what} no longer exists", extensions={"code": "NOT_FOUND"})
    return row
