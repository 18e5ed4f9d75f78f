"""Courses, their structure and the skills it names, as the write paths read and change them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as upsert

from persistence.sql.models import Chapter, Course, CourseEnrollment, Skill
from persistence.sql.models.base import new_id

if TYPE_CHECKING:
    import uuid
    from collections.abc import Mapping, Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["clear_structure", "enroll", "insert_rows", "locked_course", "skill_ids", "unenroll"]


async def locked_course(session: AsyncSession, *, course_id: uuid.UUID) -> Course | None:
    """The course, row-locked until the transaction ends; None when there is none."""
    query = select(Course).where(Course.id == course_id).with_for_update()
    return await session.scalar(query)


async def clear_structure(session: AsyncSession, *, course_id: uuid.UUID) -> None:
    """Deletes the course's chapters, and with them (cascading) everything under them."""
    await session.execute(delete(Chapter).where(Chapter.course_id == course_id))


async def skill_ids(session: AsyncSession, *, names: Sequence[str]) -> dict[str, uuid.UUID]:
    """The ids of the skills with these names, creating the ones that are new."""
    if not names:
        return {}
    await session.execute(
        upsert(Skill)
        .values([{"id": new_id(), "name": name, "description": ""} for name in names])
        .on_conflict_do_nothing(index_elements=[Skill.name])
    )
    rows = await session.execute(select(Skill.name, Skill.id).where(Skill.name.in_(names)))
    return {name: skill_id for name, skill_id in rows.all()}


async def insert_rows(
    session: AsyncSession, *, tables: Sequence[Any], rows: Mapping[Any, list[dict[str, Any]]]
) -> None:
    """Inserts each table's rows, table by table in the given order."""
    for table in tables:
        if rows.get(table):
            await session.execute(insert(table), rows[table])


async def enroll(session: AsyncSession, *, course_id: uuid.UUID, student_id: uuid.UUID) -> None:
    """Enrolls the student in the course; enrolling twice changes nothing."""
    statement = upsert(CourseEnrollment).values(course_id=course_id, student_id=student_id)
    await session.execute(statement.on_conflict_do_nothing())


async def unenroll(session: AsyncSession, *, course_id: uuid.UUID, student_id: uuid.UUID) -> bool:
    """Takes the student out of the course; False when they were not in it."""
    removed = await session.scalar(
        delete(CourseEnrollment)
        .where(CourseEnrollment.course_id == course_id, CourseEnrollment.student_id == student_id)
        .returning(CourseEnrollment.student_id)
    )
    return removed is not None
