"""Achievements as awarding them reads and changes them: a learner's figures, the definitions,
the awards."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from domain.progress import DONE, ProgressStatus
from persistence.sql.models import (
    Achievement,
    AchievementAward,
    ConceptProgress,
    PathEnrollment,
    QuizAttempt,
)

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.achievements import AchievementRule

__all__ = ["LearnerCounts", "award", "ensure_definitions", "learner_counts"]


class LearnerCounts(NamedTuple):
    completed_concepts: int
    mastered_concepts: int
    passed_quizzes: int
    perfect_quizzes: int
    completed_paths: int


async def learner_counts(session: AsyncSession, *, user_id: uuid.UUID) -> LearnerCounts:
    """Concepts completed (or mastered) and mastered, quizzes passed and answered perfectly
    (each quiz once), paths completed."""
    status = ConceptProgress.status
    progress = (
        await session.execute(
            select(
                func.count().filter(status.in_(DONE)),
                func.count().filter(status == ProgressStatus.MASTERED),
            ).where(ConceptProgress.user_id == user_id)
        )
    ).one()
    quiz = func.distinct(QuizAttempt.quiz_id)
    perfect = (QuizAttempt.score >= QuizAttempt.max_score, QuizAttempt.max_score > 0)
    quizzes = (
        await session.execute(
            select(
                func.count(quiz).filter(QuizAttempt.passed),
                func.count(quiz).filter(*perfect),
            ).where(QuizAttempt.user_id == user_id)
        )
    ).one()
    paths = await session.scalar(
        select(func.count()).where(
            PathEnrollment.user_id == user_id, PathEnrollment.status == ProgressStatus.COMPLETED
        )
    )
    figures = (progress[0], progress[1], quizzes[0], quizzes[1], paths or 0)
    return LearnerCounts(*(int(figure) for figure in figures))


async def ensure_definitions(session: AsyncSession, *, rules: Sequence[AchievementRule]) -> None:
    """The rules' achievements exist (their wording as first written)."""
    rows = [{"code": r.code, "title": r.title, "description": r.description} for r in rules]
    await session.execute(insert(Achievement).values(rows).on_conflict_do_nothing())


async def award(
    session: AsyncSession, *, user_id: uuid.UUID, codes: Sequence[str]
) -> list[Achievement]:
    """Awards the user the achievements with these codes; returns those not held before."""
    wanted = select(Achievement.id).where(Achievement.code.in_(codes))
    ids = list((await session.scalars(wanted)).all())
    rows = [{"user_id": user_id, "achievement_id": achievement_id} for achievement_id in ids]
    statement = insert(AchievementAward).values(rows).on_conflict_do_nothing()
    new_ids = (await session.scalars(statement.returning(AchievementAward.achievement_id))).all()
    if not new_ids:
        return []
    found = await session.scalars(select(Achievement).where(Achievement.id.in_(new_ids)))
    return list(found.all())
