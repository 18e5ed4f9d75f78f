"""Batch loads for the learner side: quizzes, progress, enrollments, awards and list pages.

Every function is one SQL statement per batch, however many keys or rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import aliased

from persistence.sql.models import (
    Achievement,
    AchievementAward,
    ConceptProgress,
    LearningPath,
    LearningSession,
    Lesson,
    LessonProgress,
    PathEnrollment,
    Question,
    Quiz,
    QuizAttempt,
)
from resolvers.loaders.registry import grouped_by, in_key_order, read_session

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from resolvers.resources import ApiResources

__all__ = [
    "Award",
    "Page",
    "PageKey",
    "attempt_pages",
    "awards_by_user",
    "badge_awards_by_user",
    "enrollment_of",
    "enrollments_by_user",
    "lesson_progress_of",
    "lessons_by_concept",
    "lessons_by_id",
    "paths_by_id",
    "progress_of",
    "progress_pages",
    "questions_by_quiz",
    "quizzes_by_concept",
    "quizzes_by_id",
    "session_pages",
]

M = TypeVar("M", ConceptProgress, QuizAttempt, LearningSession)
UserThing = tuple[uuid.UUID, uuid.UUID]


@dataclass(frozen=True)
class PageKey:
    """One user's page of a list: rows offset+1 .. offset+limit."""

    user_id: uuid.UUID
    offset: int
    limit: int


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    total: int


@dataclass(frozen=True)
class Award:
    code: str
    title: str
    description: str
    awarded_at: datetime
    definition: Achievement | None = None

    @classmethod
    def of(cls, row: Achievement, awarded_at: datetime) -> Award:
        return cls(row.code, row.title, row.description, awarded_at, row)


async def quizzes_by_concept(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Quiz]]:
    query = select(Quiz).where(Quiz.concept_id.in_(keys)).order_by(Quiz.created_at, Quiz.id)
    async with read_session(resources) as session:
        rows = (await session.scalars(query)).all()
    return grouped_by(rows, keys, lambda quiz: quiz.concept_id)


async def quizzes_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Quiz | None]:
    async with read_session(resources) as session:
        rows = (await session.scalars(select(Quiz).where(Quiz.id.in_(keys)))).all()
    return in_key_order(rows, keys, lambda quiz: quiz.id)


async def questions_by_quiz(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Question]]:
    query = select(Question).where(Question.quiz_id.in_(keys)).order_by(Question.order_index)
    async with read_session(resources) as session:
        rows = (await session.scalars(query)).all()
    return grouped_by(rows, keys, lambda question: question.quiz_id)


async def paths_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[LearningPath | None]:
    async with read_session(resources) as session:
        rows = (await session.scalars(select(LearningPath).where(LearningPath.id.in_(keys)))).all()
    return in_key_order(rows, keys, lambda path: path.id)


async def progress_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[ConceptProgress | None]:
    """Progress rows by (user id, concept id)."""
    wanted = tuple_(ConceptProgress.user_id, ConceptProgress.concept_id).in_(keys)
    async with read_session(resources) as session:
        rows = (await session.scalars(select(ConceptProgress).where(wanted))).all()
    return in_key_order(rows, keys, lambda row: (row.user_id, row.concept_id))


async def enrollment_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[PathEnrollment | None]:
    """Path enrollments by (user id, path id)."""
    wanted = tuple_(PathEnrollment.user_id, PathEnrollment.path_id).in_(keys)
    async with read_session(resources) as session:
        rows = (await session.scalars(select(PathEnrollment).where(wanted))).all()
    return in_key_order(rows, keys, lambda row: (row.user_id, row.path_id))


async def enrollments_by_user(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[list[PathEnrollment]]:
    query = (
        select(PathEnrollment)
        .where(PathEnrollment.user_id.in_(keys))
        .order_by(PathEnrollment.enrolled_at, PathEnrollment.path_id)
    )
    async with read_session(resources) as session:
        rows = (await session.scalars(query)).all()
    return grouped_by(rows, keys, lambda row: row.user_id)


async def _awards(resources: ApiResources, keys: list[uuid.UUID], kind: str) -> list[list[Award]]:
    query = (
        select(AchievementAward.user_id, Achievement, AchievementAward.awarded_at)
        .join(Achievement, Achievement.id == AchievementAward.achievement_id)
        .where(AchievementAward.user_id.in_(keys), Achievement.kind == kind)
        .order_by(AchievementAward.awarded_at, Achievement.code)
    )
    async with read_session(resources) as session:
        rows = (await session.execute(query)).all()
    awards = [(row[0], Award.of(row[1], row[2])) for row in rows]
    return [[award for _, award in group] for group in grouped_by(awards, keys, lambda a: a[0])]


async def awards_by_user(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Award]]:
    """Each user's achievements, oldest first."""
    return await _awards(resources, keys, "achievement")


async def badge_awards_by_user(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Award]]:
    """Each user's badges, oldest first."""
    return await _awards(resources, keys, "badge")


async def _pages(
    resources: ApiResources,
    model: type[M],
    keys: Sequence[PageKey],
    order: Sequence[ColumnElement[Any]],
) -> list[Page[M]]:
    """Pages of several users' rows in one statement; rank 1 is always read for the total."""
    user_column = model.__table__.c.user_id
    rank = func.row_number().over(partition_by=user_column, order_by=order).label("rank")
    total = func.count().over(partition_by=user_column).label("total")
    ranked = select(model, rank, total).where(user_column.in_({k.user_id for k in keys}))
    inner = ranked.subquery()
    entity = aliased(model, inner)
    upto = max(max(key.offset + key.limit for key in keys), 1)
    query = select(entity, inner.c.rank, inner.c.total).where(inner.c.rank <= upto)
    async with read_session(resources) as session:
        found = (await session.execute(query.order_by(inner.c.rank))).all()
    return [_page_of(found, key) for key in keys]


def _page_of(found: Sequence[Any], key: PageKey) -> Page[Any]:
    mine = [row for row in found if row[0].user_id == key.user_id]
    rows = [row[0] for row in mine if key.offset < row[1] <= key.offset + key.limit]
    return Page(rows=rows, total=mine[0][2] if mine else 0)


async def progress_pages(
    resources: ApiResources, keys: list[PageKey]
) -> list[Page[ConceptProgress]]:
    """A user's progress rows, most recently updated first."""
    table = ConceptProgress.__table__.c
    return await _pages(
        resources, ConceptProgress, keys, [table.updated_at.desc(), table.concept_id]
    )


async def attempt_pages(resources: ApiResources, keys: list[PageKey]) -> list[Page[QuizAttempt]]:
    """A user's quiz attempts, latest first."""
    table = QuizAttempt.__table__.c
    return await _pages(resources, QuizAttempt, keys, [table.submitted_at.desc(), table.id])


async def lessons_by_concept(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Lesson]]:
    """A concept's lessons in order."""
    query = (
        select(Lesson)
        .where(Lesson.concept_id.in_(keys))
        .order_by(Lesson.concept_id, Lesson.order_index, Lesson.created_at, Lesson.id)
    )
    async with read_session(resources) as session:
        rows = (await session.scalars(query)).all()
    return grouped_by(rows, keys, lambda lesson: lesson.concept_id)


async def lessons_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Lesson | None]:
    async with read_session(resources) as session:
        rows = (await session.scalars(select(Lesson).where(Lesson.id.in_(keys)))).all()
    return in_key_order(rows, keys, lambda lesson: lesson.id)


async def lesson_progress_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[LessonProgress | None]:
    """Lesson progress rows by (user id, lesson id)."""
    wanted = tuple_(LessonProgress.user_id, LessonProgress.lesson_id).in_(keys)
    async with read_session(resources) as session:
        rows = (await session.scalars(select(LessonProgress).where(wanted))).all()
    return in_key_order(rows, keys, lambda row: (row.user_id, row.lesson_id))


async def session_pages(
    resources: ApiResources, keys: list[PageKey]
) -> list[Page[LearningSession]]:
    """A user's study sessions, latest first."""
    table = LearningSession.__table__.c
    return await _pages(resources, LearningSession, keys, [table.started_at.desc(), table.id])
