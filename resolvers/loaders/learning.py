"""Batch loads for the learner side: quizzes, progress, enrollments, awards and list pages.

Every function is one SQL statement per batch, however many keys or rows, read as plain rows
(registry.read_models), never as ORM entities.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from sqlalchemy import ColumnElement, func, select, tuple_

from persistence.sql.models import (
    Achievement,
    AchievementAward,
    Base,
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
from resolvers.loaders.registry import (
    grouped_by,
    in_key_order,
    read_models,
    read_rows,
    rows_of,
)

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence
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
    "questions_by_quiz",
    "quizzes_by_concept",
    "quizzes_by_id",
    "session_pages",
]

M = TypeVar("M", ConceptProgress, QuizAttempt, LearningSession)
B = TypeVar("B", bound=Base)
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


def _column(model: type[Base], name: str) -> ColumnElement[Any]:
    return model.__table__.c[name]


async def _by(
    resources: ApiResources,
    model: type[B],
    column: str,
    keys: Sequence[Hashable],
    order: Sequence[str] = (),
) -> list[B]:
    """The model's rows whose column is one of keys, ordered by the columns named."""
    statement = rows_of(model).where(_column(model, column).in_(keys))
    return await read_models(
        resources, model, statement.order_by(*(_column(model, name) for name in order))
    )


async def _by_id(resources: ApiResources, model: type[B], keys: list[uuid.UUID]) -> list[B | None]:
    return in_key_order(await _by(resources, model, "id", keys), keys, attrgetter("id"))


async def _grouped(
    resources: ApiResources,
    model: type[B],
    parent: str,
    keys: list[uuid.UUID],
    order: Sequence[str],
) -> list[list[B]]:
    """Each parent's rows, in the order named."""
    rows = await _by(resources, model, parent, keys, order)
    return grouped_by(rows, keys, attrgetter(parent))


async def _of_user(
    resources: ApiResources, model: type[B], thing: str, keys: list[UserThing]
) -> list[B | None]:
    """Rows by (user id, thing id): one per key, None where the user has none."""
    wanted = tuple_(_column(model, "user_id"), _column(model, thing)).in_(keys)
    rows = await read_models(resources, model, rows_of(model).where(wanted))
    return in_key_order(rows, keys, attrgetter("user_id", thing))


async def quizzes_by_concept(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Quiz]]:
    return await _grouped(resources, Quiz, "concept_id", keys, ("created_at", "id"))


async def quizzes_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Quiz | None]:
    return await _by_id(resources, Quiz, keys)


async def questions_by_quiz(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Question]]:
    return await _grouped(resources, Question, "quiz_id", keys, ("order_index",))


async def paths_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[LearningPath | None]:
    return await _by_id(resources, LearningPath, keys)


async def progress_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[ConceptProgress | None]:
    """Progress rows by (user id, concept id)."""
    return await _of_user(resources, ConceptProgress, "concept_id", keys)


async def enrollment_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[PathEnrollment | None]:
    """Path enrollments by (user id, path id)."""
    return await _of_user(resources, PathEnrollment, "path_id", keys)


async def enrollments_by_user(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[list[PathEnrollment]]:
    return await _grouped(resources, PathEnrollment, "user_id", keys, ("enrolled_at", "path_id"))


async def _awards(resources: ApiResources, keys: list[uuid.UUID], kind: str) -> list[list[Award]]:
    awarded = AchievementAward.__table__
    award = awarded.c
    definition = Achievement.__table__
    statement = (
        select(definition, award.user_id.label("award_user"), award.awarded_at.label("awarded"))
        .join(awarded, definition.c.id == award.achievement_id)
        .where(award.user_id.in_(keys), definition.c.kind == kind)
        .order_by(award.awarded_at, definition.c.code)
    )
    rows = await read_rows(resources, statement)
    awards = [(row.award_user, Award.of(cast("Achievement", row), row.awarded)) for row in rows]
    return [[award for _, award in group] for group in grouped_by(awards, keys, itemgetter(0))]


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
    table = model.__table__
    rank = func.row_number().over(partition_by=table.c.user_id, order_by=order).label("rank")
    total = func.count().over(partition_by=table.c.user_id).label("total")
    users = {key.user_id for key in keys}
    ranked = select(table, rank, total).where(table.c.user_id.in_(users)).subquery()
    upto = max(max(key.offset + key.limit for key in keys), 1)
    query = select(ranked).where(ranked.c.rank <= upto).order_by(ranked.c.rank)
    found = await read_rows(resources, query)
    return [_page_of(found, key) for key in keys]


def _page_of(found: Sequence[Any], key: PageKey) -> Page[Any]:
    mine = [row for row in found if row.user_id == key.user_id]
    rows = [row for row in mine if key.offset < row.rank <= key.offset + key.limit]
    return Page(rows=rows, total=mine[0].total if mine else 0)


async def attempt_pages(resources: ApiResources, keys: list[PageKey]) -> list[Page[QuizAttempt]]:
    """A user's quiz attempts, latest first."""
    table = QuizAttempt.__table__.c
    return await _pages(resources, QuizAttempt, keys, [table.submitted_at.desc(), table.id])


async def lessons_by_concept(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[Lesson]]:
    """A concept's lessons in order."""
    return await _grouped(
        resources, Lesson, "concept_id", keys, ("order_index", "created_at", "id")
    )


async def lessons_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Lesson | None]:
    return await _by_id(resources, Lesson, keys)


async def lesson_progress_of(
    resources: ApiResources, keys: list[UserThing]
) -> list[LessonProgress | None]:
    """Lesson progress rows by (user id, lesson id)."""
    return await _of_user(resources, LessonProgress, "lesson_id", keys)


async def session_pages(
    resources: ApiResources, keys: list[PageKey]
) -> list[Page[LearningSession]]:
    """A user's study sessions, latest first."""
    table = LearningSession.__table__.c
    return await _pages(resources, LearningSession, keys, [table.started_at.desc(), table.id])
