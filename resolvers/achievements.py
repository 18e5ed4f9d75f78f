"""Awarding achievements after learning activity; definitions are created on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from domain.achievements import LearnerStats, earned_codes, rule_for
from domain.progress import DONE, ProgressStatus
from domain.streaks import streak_days
from persistence.sql.badges import award_badges
from persistence.sql.models import (
    Achievement,
    AchievementAward,
    ConceptProgress,
    PathEnrollment,
    QuizAttempt,
)
from resolvers.dashboard import active_days, today_utc

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["award_achievements", "learner_stats"]


async def learner_stats(session: AsyncSession, user_id: uuid.UUID) -> LearnerStats:
    status = ConceptProgress.status
    progress = (
        await session.execute(
            select(
                func.count().filter(status.in_(DONE)),
                func.count().filter(status == ProgressStatus.MASTERED),
            ).where(ConceptProgress.user_id == user_id)
        )
    ).one()
    quizzes = (
        await session.execute(
            select(
                func.count(func.distinct(QuizAttempt.quiz_id)).filter(QuizAttempt.passed),
                func.count(func.distinct(QuizAttempt.quiz_id)).filter(
                    QuizAttempt.score >= QuizAttempt.max_score, QuizAttempt.max_score > 0
                ),
            ).where(QuizAttempt.user_id == user_id)
        )
    ).one()
    paths = await session.scalar(
        select(func.count()).where(
            PathEnrollment.user_id == user_id, PathEnrollment.status == ProgressStatus.COMPLETED
        )
    )
    days = (await active_days(session, [user_id])).get(user_id, set())
    return LearnerStats(
        completed_concepts=int(progress[0]),
        mastered_concepts=int(progress[1]),
        passed_quizzes=int(quizzes[0]),
        streak_days=streak_days(days, today_utc()),
        perfect_quizzes=int(quizzes[1]),
        completed_paths=int(paths or 0),
    )


async def _ensure_definitions(session: AsyncSession, codes: list[str]) -> None:
    rules = [rule_for(code) for code in codes]
    rows = [{"code": r.code, "title": r.title, "description": r.description} for r in rules]
    await session.execute(insert(Achievement).values(rows).on_conflict_do_nothing())


async def award_achievements(session: AsyncSession, user_id: uuid.UUID) -> list[Achievement]:
    """Awards the achievements and badges the user newly qualifies for, in the caller's
    transaction; returns those (achievements first)."""
    stats = await learner_stats(session, user_id)
    achievements = await _award_achievements(session, user_id, stats)
    return achievements + await award_badges(session, user_id, stats)


async def _award_achievements(
    session: AsyncSession, user_id: uuid.UUID, stats: LearnerStats
) -> list[Achievement]:
    codes = earned_codes(stats)
    if not codes:
        return []
    await _ensure_definitions(session, codes)
    wanted = select(Achievement.id).where(Achievement.code.in_(codes))
    ids = list((await session.scalars(wanted)).all())
    rows = [{"user_id": user_id, "achievement_id": achievement_id} for achievement_id in ids]
    statement = insert(AchievementAward).values(rows).on_conflict_do_nothing()
    new_ids = (await session.scalars(statement.returning(AchievementAward.achievement_id))).all()
    if not new_ids:
        return []
    found = await session.scalars(select(Achievement).where(Achievement.id.in_(new_ids)))
    return sorted(found.all(), key=lambda achievement: codes.index(achievement.code))
