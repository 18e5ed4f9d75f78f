"""One page of a model's rows, in a given order, with how many rows there are in all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import func, select

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import QueryableAttribute

__all__ = ["Page", "offset_page"]

Row = TypeVar("Row")


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    total: int


async def offset_page(
    session: AsyncSession,
    *,
    model: type[Row],
    wanted: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    offset: int,
    limit: int,
) -> Page[Row]:
    """The rows `wanted` picks, in order, `limit` of them after the first `offset`; the total
    counts every row `wanted` picks."""
    total = await session.scalar(select(func.count()).select_from(model).where(*wanted))
    query = select(model).where(*wanted).order_by(*order_by).offset(offset).limit(limit)
    rows = await session.scalars(query)
    return Page(rows=list(rows.all()), total=int(total or 0))
