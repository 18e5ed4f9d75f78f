"""Lessons: authored per concept in order, versioned, updated under optimistic locking.

Lessons live in SQL only (the graph mirrors no lessons); completing them moves the learner's
progress on their concept, which the graph does mirror (resolvers/lesson_progress.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.validation import MAX_INT, Checks
from persistence.sql.bookkeeping import touch
from persistence.sql.models import Lesson
from persistence.sql.repositories import lessons
from resolvers import policy
from resolvers.commands import input_name
from resolvers.lesson_progress import follow_lesson_changes

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal
    from resolvers.commands import LessonChanges, LessonDraft
    from resolvers.context import Context

__all__ = ["LessonDeletion", "create_lesson", "delete_lesson", "locked_lesson", "update_lesson"]

MAX_ORDER_INDEX = 10_000
NOT_NULL = ("title", "summary", "body", "content_type", "duration_minutes", "order_index")


@dataclass(frozen=True)
class LessonDeletion:
    deleted_id: uuid.UUID


def _check_fields(checks: Checks, lesson: LessonDraft | LessonChanges) -> None:
    for name in lesson.given_null(NOT_NULL):
        checks.fail(input_name(name), f"{input_name(name)} must not be null")
    title = lesson.title
    checks.text("title", title, max_length=200, required=title is not None)
    checks.text("summary", lesson.summary, max_length=2_000)
    checks.text("body", lesson.body, max_length=100_000)
    checks.number("durationMinutes", lesson.duration_minutes, low=1, high=600)
    checks.number("orderIndex", lesson.order_index, low=0, high=MAX_ORDER_INDEX)


async def _locked_concept(
    session: AsyncSession,
    principal: Principal,
    concept_id: uuid.UUID | None,
    *,
    field: str,
    what: str,
) -> uuid.UUID:
    """Locks the concept, so that its lessons' order changes one writer at a time, when the
    caller may change it: a concept's lessons are its creator's (policy.owned). Its id."""
    found = None
    if concept_id is not None:
        found = await lessons.locked_concept_owner(session, concept_id=concept_id)
    owned = policy.owned(
        principal, found, found.created_by if found else None, field=field, what=what
    )
    locked: uuid.UUID = owned.id
    return locked


async def create_lesson(context: Context, draft: LessonDraft) -> Lesson:
    """Adds a lesson at orderIndex (others move down) or, without one, after the last."""
    principal = policy.author(context.principal)
    checks = Checks()
    _check_fields(checks, draft)
    checks.raise_if_any()
    concept_id = policy.owned_id(principal, draft.concept_id, field="conceptId", what="concept")
    async with context.unit_of_work() as uow:
        await _locked_concept(uow.session, principal, concept_id, field="conceptId", what="concept")
        count = await lessons.lesson_count(uow.session, concept_id=concept_id)
        wanted = draft.order_index
        position = count if wanted is None else min(wanted, count)
        await lessons.shift(uow.session, concept_id=concept_id, start=position, end=None, by=1)
        lesson = Lesson(concept_id=concept_id, order_index=position)
        draft.apply_to(lesson, but={"concept_id", "order_index"})
        uow.session.add(lesson)
        await uow.session.flush()
        await uow.session.refresh(lesson)
        await uow.commit()
    return lesson


async def locked_lesson(session: AsyncSession, lesson_id: uuid.UUID, raw: str) -> Lesson:
    lesson = await lessons.locked_lesson(session, lesson_id=lesson_id)
    if lesson is None:
        raise UserErrors.one("id", f"no lesson with id {raw}", ErrorCode.NOT_FOUND)
    return lesson


def _refuse_stale(lesson: Lesson, expected: int | None) -> None:
    if expected is not None and expected != lesson.version:
        raise UserErrors.one(
            "expectedVersion",
            f"the lesson is at version {lesson.version}, not {expected}; reload it",
            ErrorCode.CONFLICT,
        )


async def _move(session: AsyncSession, lesson: Lesson, wanted: int) -> None:
    concept_id = lesson.concept_id
    last = await lessons.lesson_count(session, concept_id=concept_id) - 1
    target, current = min(wanted, last), lesson.order_index
    if target > current:
        await lessons.shift(session, concept_id=concept_id, start=current + 1, end=target, by=-1)
    elif target < current:
        await lessons.shift(session, concept_id=concept_id, start=target, end=current - 1, by=1)
    lesson.order_index = target


async def update_lesson(context: Context, raw_id: str, update: LessonChanges) -> Lesson:
    """Changes the given fields; a new orderIndex moves the lessons in between."""
    principal = policy.author(context.principal)
    checks = Checks()
    _check_fields(checks, update)
    checks.number("expectedVersion", update.expected_version, low=1, high=MAX_INT)
    checks.raise_if_any()
    lesson_id = policy.owned_id(principal, raw_id, field="id", what="lesson")
    async with context.unit_of_work() as uow:
        concept_id = await lessons.concept_of(uow.session, lesson_id=lesson_id)
        await _locked_concept(uow.session, principal, concept_id, field="id", what="lesson")
        lesson = await locked_lesson(uow.session, lesson_id, raw_id)
        _refuse_stale(lesson, update.expected_version)
        if update.order_index is not None:  # given (a null orderIndex is refused above)
            await _move(uow.session, lesson, update.order_index)
        update.apply_to(lesson, but={"expected_version", "order_index"})
        touch(lesson)  # an update moves the version even when every value stays
        await uow.session.flush()
        await uow.session.refresh(lesson)
        await uow.commit()
    return lesson


async def delete_lesson(context: Context, raw_id: str) -> LessonDeletion:
    """Removes the lesson (and learners' progress on it); the lessons after it move up, and
    learners who completed every other lesson of the concept complete the concept."""
    principal = policy.author(context.principal)
    lesson_id = policy.owned_id(principal, raw_id, field="id", what="lesson")
    async with context.unit_of_work() as uow:
        concept_id = await _locked_concept(
            uow.session,
            principal,
            await lessons.concept_of(uow.session, lesson_id=lesson_id),
            field="id",
            what="lesson",
        )
        lesson = await locked_lesson(uow.session, lesson_id, raw_id)
        position = lesson.order_index
        await lessons.delete_lesson(uow.session, lesson_id=lesson_id)
        await lessons.shift(uow.session, concept_id=concept_id, start=position + 1, end=None, by=-1)
        await follow_lesson_changes(uow, concept_id)
        await uow.commit()
    return LessonDeletion(deleted_id=lesson_id)
