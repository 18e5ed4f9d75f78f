"""The badge catalogue as clients read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import Achievement

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["badge_catalogue"]


async def badge_catalogue(session: AsyncSession) -> list[Achievement]:
    """Every badge, by rule, then threshold, then code."""
    query = (
        select(Achievement)
        .where(Achievement.kind == "badge")
        .order_by(Achievement.rule, Achievement.threshold, Achievement.code)
    )
    return list((await session.scalars(query)).all())
