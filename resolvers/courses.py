"""What course fields and mutations do: SQL reads through loaders, writes through the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from domain.errors import ErrorCode, UserErrors
from domain.events import ChangeEvent, EntityType, EventType
from domain.validation import Checks
from persistence.sql.models import Chapter, Course, CourseEnrollment, Reading, Theory, Video
from resolvers import policy
from resolvers.loaders.courses import courses_by_id
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal
    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import CourseChanges, CourseDraft
    from resolvers.context import Context

__all__ = [
    "CourseWrite",
    "course_by_id",
    "course_event",
    "course_page",
    "create_course",
    "delete_course",
    "join_course",
    "leave_course",
    "locked_course_for_editing",
    "parse_id",
    "record_structure_deleted",
    "update_course",
]


@dataclass(frozen=True)
class CourseWrite:
    course: Course
    sync_token: str | None


def parse_id(field: str, value: str, what: str) -> uuid.UUID:
    """The UUID an opaque id holds; an id that cannot be one names nothing that exists."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise UserErrors.one(field, f"no {what} has id {value}", ErrorCode.NOT_FOUND) from None


async def course_by_id(context: Context, value: str) -> Course | None:
    try:
        key = uuid.UUID(value)
    except ValueError:
        return None
    return await context.loaders.of(courses_by_id).load(key)


async def course_page(context: Context, *, offset: int, limit: int) -> tuple[list[Course], int]:
    """Courses ordered by title, one page of them, and how many there are in all."""
    async with context.resources.sessions() as session:
        total = await session.scalar(select(func.count()).select_from(Course)) or 0
        rows = await session.scalars(
            select(Course).order_by(Course.title, Course.id).offset(offset).limit(limit)
        )
        return list(rows.all()), total


def _check_course_fields(fields: dict[str, Any], *, creating: bool) -> None:
    checks = Checks()
    checks.text(
        "title", fields.get("title"), max_length=200, required=creating or "title" in fields
    )
    checks.text("description", fields.get("description"), max_length=5000)
    checks.raise_if_any()


async def locked_course_for_editing(
    session: AsyncSession, principal: Principal, value: str, field: str
) -> Course:
    """The course, row-locked, when the caller may change it (policy.owned)."""
    course_id = policy.owned_id(principal, value, field=field, what="course")
    course = await session.scalar(select(Course).where(Course.id == course_id).with_for_update())
    owner = course.teacher_id if course else None
    return policy.owned(principal, course, owner, field=field, what="course")


def course_event(kind: EventType, course: Course, *, version: int | None = None) -> ChangeEvent:
    """An event on the course node; its teacher (the TEACHES_CLASS edge) travels with it."""
    payload = {"teacher_id": str(course.teacher_id)}
    return ChangeEvent(kind, EntityType.COURSE, str(course.id), version or course.version, payload)


async def record_structure_deleted(uow: UnitOfWork, course_id: uuid.UUID) -> None:
    """Records a delete event for every chapter, theory, reading and video of the course.

    Call it before the rows go: the foreign keys cascade, so afterwards nothing names them.
    """
    in_course = Chapter.course_id == course_id
    chapters = select(Chapter.id, Chapter.version, Chapter.course_id).where(in_course)
    theories = select(Theory.id, Theory.version, Theory.chapter_id).join(Chapter).where(in_course)
    readings = (
        select(Reading.id, Reading.version, Reading.theory_id)
        .join(Theory)
        .join(Chapter)
        .where(in_course)
    )
    videos = (
        select(Video.id, Video.version, Video.theory_id).join(Theory).join(Chapter).where(in_course)
    )
    for entity_type, parent, query in (
        (EntityType.VIDEO, "theory_id", videos),
        (EntityType.READING, "theory_id", readings),
        (EntityType.THEORY, "chapter_id", theories),
        (EntityType.CHAPTER, "course_id", chapters),
    ):
        for entity_id, version, parent_id in (await uow.session.execute(query)).all():
            payload = {parent: str(parent_id)}
            uow.record(
                ChangeEvent(
                    EventType.ENTITY_DELETED, entity_type, str(entity_id), version + 1, payload
                )
            )


async def create_course(context: Context, draft: CourseDraft) -> CourseWrite:
    fields = draft.given()
    principal = policy.author(context.principal)
    _check_course_fields(fields, creating=True)
    async with context.unit_of_work() as uow:
        course = Course(
            title=fields["title"].strip(),
            description=fields.get("description") or "",
            teacher_id=principal.user_id,
            version=1,
        )
        uow.session.add(course)
        await uow.session.flush()
        uow.record(course_event(EventType.ENTITY_CREATED, course))
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def update_course(context: Context, value: str, changes: CourseChanges) -> CourseWrite:
    fields = changes.given()
    principal = policy.author(context.principal)
    _check_course_fields(fields, creating=False)
    async with context.unit_of_work() as uow:
        course = await locked_course_for_editing(uow.session, principal, value, "id")
        if fields.get("title") is not None:
            course.title = fields["title"].strip()
        if fields.get("description") is not None:
            course.description = fields["description"]
        course.version += 1
        await uow.session.flush()
        uow.record(course_event(EventType.ENTITY_UPDATED, course))
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def delete_course(context: Context, value: str) -> tuple[str, str | None]:
    """Deletes a course with its structure and enrollments; returns its id and a sync token."""
    principal = policy.author(context.principal)
    async with context.unit_of_work() as uow:
        course = await locked_course_for_editing(uow.session, principal, value, "id")
        course_id = course.id
        await record_structure_deleted(uow, course_id)
        uow.record(course_event(EventType.ENTITY_DELETED, course, version=course.version + 1))
        await uow.session.execute(delete(Course).where(Course.id == course_id))
        committed = await uow.commit()
    return str(course_id), sync_token(committed)


def _enrollment_event(kind: EventType, course_id: uuid.UUID, student_id: uuid.UUID) -> ChangeEvent:
    payload = {"course_id": str(course_id), "student_id": str(student_id)}
    entity_id = f"{course_id}:{student_id}"
    return ChangeEvent(kind, EntityType.COURSE_ENROLLMENT, entity_id, 1, payload)


async def _existing_course(session: AsyncSession, course_id: uuid.UUID) -> Course:
    course = await session.get(Course, course_id)
    if course is None:
        raise UserErrors.one("courseId", f"no course has id {course_id}", ErrorCode.NOT_FOUND)
    return course


async def join_course(context: Context, value: str) -> CourseWrite:
    """Enrolls the calling student; joining twice changes nothing."""
    principal = policy.student(context.principal)
    course_id = parse_id("courseId", value, "course")
    async with context.unit_of_work() as uow:
        course = await _existing_course(uow.session, course_id)
        added = await uow.session.scalar(
            insert(CourseEnrollment)
            .values(course_id=course_id, student_id=principal.user_id)
            .on_conflict_do_nothing()
            .returning(CourseEnrollment.student_id)
        )
        if added is not None:
            uow.record(
                _enrollment_event(EventType.RELATIONSHIP_CREATED, course_id, principal.user_id)
            )
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def leave_course(context: Context, value: str) -> CourseWrite:
    principal = policy.student(context.principal)
    course_id = parse_id("courseId", value, "course")
    async with context.unit_of_work() as uow:
        course = await _existing_course(uow.session, course_id)
        removed = await uow.session.scalar(
            delete(CourseEnrollment)
            .where(
                CourseEnrollment.course_id == course_id,
                CourseEnrollment.student_id == principal.user_id,
            )
            .returning(CourseEnrollment.student_id)
        )
        if removed is None:
            raise UserErrors.one("courseId", "you are not in this course", ErrorCode.NOT_FOUND)
        uow.record(_enrollment_event(EventType.RELATIONSHIP_DELETED, course_id, principal.user_id))
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))
