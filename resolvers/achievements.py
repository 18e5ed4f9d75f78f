"""Awarding achievements after learning activity; definitions are created on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.achievements import LearnerStats, earned_codes, rule_for
from domain.streaks import streak_days
from persistence.sql.badges import award_badges
from persistence.sql.reads.activity import active_days
from persistence.sql.repositories import achievements
from resolvers.dashboard import today_utc

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from persistence.sql.models import Achievement

__all__ = ["award_achievements", "learner_stats"]


async def learner_stats(session: AsyncSession, user_id: uuid.UUID) -> LearnerStats:
    counts = await achievements.learner_counts(session, user_id=user_id)
    days = (await active_days(session, user_ids=[user_id])).get(user_id, set())
    return LearnerStats(**counts._asdict(), streak_days=streak_days(days, today_utc()))


async def award_achievements(session: AsyncSession, user_id: uuid.UUID) -> list[Achievement]:
    """Awards the achievements and badges the user newly qualifies for, in the caller's
    transaction; returns those (achievements first)."""
    stats = await learner_stats(session, user_id)
    earned = await _award_achievements(session, user_id, stats)
    return earned + await award_badges(session, user_id, stats)


async def _award_achievements(
    session: AsyncSession, user_id: uuid.UUID, stats: LearnerStats
) -> list[Achievement]:
    codes = earned_codes(stats)
    if not codes:
        return []
    await achievements.ensure_definitions(session, rules=[rule_for(code) for code in codes])
    found = await achievements.award(session, user_id=user_id, codes=codes)
    return sorted(found, key=lambda achievement: codes.index(achievement.code))
