"""Bounds on arguments: traversal depth and page sizes, capped by settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError

if TYPE_CHECKING:
    from schema.info import Info

__all__ = ["checked_depth", "page_size"]


def checked_depth(info: Info, argument: str, depth: int) -> int:
    limit = info.context.settings.max_traversal_depth
    if not 1 <= depth <= limit:
        raise GraphQLError(
            f"{argument} must be between 1 and {limit}",
            extensions={"code": "VALIDATION", "field": argument},
        )
    return depth


def page_size(info: Info, first: int | None, *, default: int = 20) -> int:
    """`first` capped by the server's max page size; negative values are refused."""
    if first is not None and first < 0:
        raise GraphQLError(
            "first must not be negative", extensions={"code": "VALIDATION", "field": "first"}
        )
    return min(first if first is not None else default, info.context.settings.max_page_size)
