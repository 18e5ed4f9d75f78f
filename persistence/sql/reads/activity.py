"""The days a learner studied, as streaks count them."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import Date, cast, func, select

from persistence.sql.models import LearningSession
from persistence.sql.reads.figures import streak_since

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence
    from datetime import date

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["active_days"]


async def active_days(
    session: AsyncSession, *, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[date]]:
    """Days (UTC) on which each user had a study session, lately."""
    day = cast(func.timezone("UTC", LearningSession.started_at), Date)
    query = (
        select(LearningSession.user_id, day)
        .where(
            LearningSession.user_id.in_(list(user_ids)),
            LearningSession.started_at >= streak_since(),
        )
        .distinct()
    )
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    for user_id, active in (await session.execute(query)).all():
        days[user_id].add(active)
    return days
