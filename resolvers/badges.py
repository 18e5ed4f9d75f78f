"""The badge catalogue as clients read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import Achievement
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    from resolvers.context import Context

__all__ = ["badge_definitions"]


async def badge_definitions(context: Context) -> list[Achievement]:
    query = (
        select(Achievement)
        .where(Achievement.kind == "badge")
        .order_by(Achievement.rule, Achievement.threshold, Achievement.code)
    )
    async with read_session(context.resources) as session:
        return list((await session.scalars(query)).all())
