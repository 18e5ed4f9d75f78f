"""Cursor connections for lists that grow: first/after, edges, pageInfo, totalCount.

Cursors are opaque to clients; they hold the offset of the edge in the ordered list.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import orjson
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
    "page_connection",
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


def _page_info(start: int, count: int, total: int) -> PageInfo:
    return PageInfo(
        has_next_page=start + count < total,
        has_previous_page=start > 0,
        start_cursor=encode_cursor(start) if count else None,
        end_cursor=encode_cursor(start + count - 1) if count else None,
    )


def build_connection(
    rows: Sequence[R], *, start: int, total: int, to_node: Callable[[R], N]
) -> Connection[N]:
    """A page of rows fetched from offset start (the page holds at most `first` rows)."""
    edges = [Edge(cursor=encode_cursor(start + i), node=to_node(row)) for i, row in enumerate(rows)]
    return Connection(total_count=total, edges=edges, page_info=_page_info(start, len(rows), total))


def page_connection(
    rows: Sequence[R] | str, *, start: int, limit: int, total: int, to_node: Callable[[R], N]
) -> Connection[N]:
    """build_connection; or, for a page whose edges PostgreSQL wrote whole (their JSON text,
    schema/sql_answers.py), the Connection that sends that text on. Such a page holds the
    matches from offset start, at most `limit` of them, read in the same statement as total."""
    if not isinstance(rows, str):
        return build_connection(rows, start=start, total=total, to_node=to_node)
    count = max(0, min(limit, total - start))
    written: Any = orjson.Fragment(rows)  # stands for the list of edges it encodes
    return Connection(total_count=total, edges=written, page_info=_page_info(start, count, total))
