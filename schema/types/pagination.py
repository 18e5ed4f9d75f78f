"""Cursor connections for lists that grow: first/after, edges, pageInfo, totalCount.

Cursors are opaque to clients; they hold the offset of the edge in the ordered list.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

__all__ = ["Connection", "Edge", "PageInfo", "build_connection", "decode_cursor", "encode_cursor"]

N = TypeVar("N")
R = TypeVar("R")

PREFIX = "o:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after which the next page starts (0 without a cursor)."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        offset = int(text.removeprefix(PREFIX)) if text.startswith(PREFIX) else -1
    except ValueError:
        offset = -1
    if offset < 0:
        raise GraphQLError(
            "after is not a valid cursor", extensions={"code": "VALIDATION", "field": "after"}
        )
    return offset + 1


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    total_count: int
    edges: list[Edge[N]]
    page_info: PageInfo


def build_connection(
    rows: Sequence[R], *, start: int, total: int, to_node: Callable[[R], N]
) -> Connection[N]:
    """A page of rows fetched from offset start (the page holds at most `first` rows)."""
    edges = [Edge(cursor=encode_cursor(start + i), node=to_node(row)) for i, row in enumerate(rows)]
    return Connection(
        total_count=total,
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(rows) < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
