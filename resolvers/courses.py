"""What course fields and mutations do: SQL reads through loaders, writes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id, uuid_or_none
from domain.validation import Checks
from persistence.sql.bookkeeping import touch
from persistence.sql.models import Course
from persistence.sql.reads import courses as reads
from persistence.sql.repositories import courses
from resolvers import policy
from resolvers.loaders.courses import courses_by_id
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal
    from resolvers.commands import CourseChanges, CourseDraft
    from resolvers.context import Context

__all__ = [
    "CourseWrite",
    "course_by_id",
    "course_page",
    "create_course",
    "delete_course",
    "join_course",
    "leave_course",
    "locked_course_for_editing",
    "update_course",
]


@dataclass(frozen=True)
class CourseWrite:
    course: Course
    sync_token: str | None


async def course_by_id(context: Context, value: str) -> Course | None:
    key = uuid_or_none(value)
    return await context.loaders.of(courses_by_id).load(key) if key else None


async def course_page(context: Context, *, offset: int, limit: int) -> tuple[list[Course], int]:
    """Courses ordered by title, one page of them, and how many there are in all."""
    async with context.resources.sessions() as session:
        page = await reads.course_page(session, offset=offset, limit=limit)
    return page.rows, page.total


def _check_course_fields(course: CourseDraft | CourseChanges) -> None:
    checks = Checks()
    checks.text("title", course.title, max_length=200, required=course.gave("title"))
    checks.text("description", course.description, max_length=5000)
    checks.raise_if_any()


async def locked_course_for_editing(
    session: AsyncSession, principal: Principal, value: str, field: str
) -> Course:
    """The course, row-locked, when the caller may change it (policy.owned)."""
    course_id = policy.owned_id(principal, value, field=field, what="course")
    course = await courses.locked_course(session, course_id=course_id)
    owner = course.teacher_id if course else None
    return policy.owned(principal, course, owner, field=field, what="course")


async def create_course(context: Context, draft: CourseDraft) -> CourseWrite:
    principal = policy.author(context.principal)
    _check_course_fields(draft)
    async with context.unit_of_work() as uow:
        course = Course(
            title=draft.title.strip(),
            description=draft.description,
            teacher_id=principal.user_id,
        )
        uow.session.add(course)
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def update_course(context: Context, value: str, changes: CourseChanges) -> CourseWrite:
    principal = policy.author(context.principal)
    _check_course_fields(changes)
    async with context.unit_of_work() as uow:
        course = await locked_course_for_editing(uow.session, principal, value, "id")
        if changes.title is not None:
            course.title = changes.title.strip()
        if changes.description is not None:
            course.description = changes.description
        touch(course)  # an update moves the version even when every value stays
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def delete_course(context: Context, value: str) -> tuple[str, str | None]:
    """Deletes a course with its structure and enrollments; returns its id and a sync token."""
    principal = policy.author(context.principal)
    async with context.unit_of_work() as uow:
        course = await locked_course_for_editing(uow.session, principal, value, "id")
        course_id = course.id
        await uow.session.delete(course)
        committed = await uow.commit()
    return str(course_id), sync_token(committed)


async def _existing_course(session: AsyncSession, course_id: uuid.UUID) -> Course:
    course = await session.get(Course, course_id)
    if course is None:
        raise UserErrors.one("courseId", f"no course has id {course_id}", ErrorCode.NOT_FOUND)
    return course


async def join_course(context: Context, value: str) -> CourseWrite:
    """Enrolls the calling student; joining twice changes nothing."""
    principal = policy.student(context.principal)
    course_id = parse_id(value, field="courseId", what="course")
    async with context.unit_of_work() as uow:
        course = await _existing_course(uow.session, course_id)
        await courses.enroll(uow.session, course_id=course_id, student_id=principal.user_id)
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))


async def leave_course(context: Context, value: str) -> CourseWrite:
    principal = policy.student(context.principal)
    course_id = parse_id(value, field="courseId", what="course")
    async with context.unit_of_work() as uow:
        course = await _existing_course(uow.session, course_id)
        key = {"course_id": course_id, "student_id": principal.user_id}
        if not await courses.unenroll(uow.session, **key):
            raise UserErrors.one("courseId", "you are not in this course", ErrorCode.NOT_FOUND)
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))
