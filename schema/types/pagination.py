"""Cursor connections for lists that grow: first/after, edges, pageInfo, totalCount.

Cursors are opaque to clients; they hold the offset of the edge in the ordered list.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "After",
    "Connection",
    "Edge",
    "First",
    "PageInfo",
    "build_connection",
    "decode_cursor",
    "encode_cursor",
]

N = TypeVar("N")
R = TypeVar("R")

PREFIX = "o:"

First = Annotated[
    int | None,
    strawberry.argument(
        description="At most this many items (capped by the server's page size, MAX_PAGE_SIZE)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after the item with this cursor (the previous page's "
        "pageInfo.endCursor); from the start without one."
    ),
]


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


@strawberry.type(description="Where a page lies in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items come before it.")
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item (pass it as `after` for the next "
        "page); null when the page is empty."
    )


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to continue here.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list that can grow (first/after pagination).")
class Connection(Generic[N]):
    total_count: int = strawberry.field(description="How many items the whole list holds.")
    edges: list[Edge[N]] = strawberry.field(description="The page's items, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Where the page lies in the list.")


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
