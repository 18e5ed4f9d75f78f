"""Courses as clients list them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.models import Course
from persistence.sql.reads.paging import Page, offset_page

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["course_page"]


async def course_page(session: AsyncSession, *, offset: int, limit: int) -> Page[Course]:
    """Courses by title."""
    order = (Course.title, Course.id)
    return await offset_page(session, model=Course, order_by=order, offset=offset, limit=limit)
