"""The few facts authorization needs from SQL: who teaches whom, and which skills a course has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Select, exists, select

from persistence.sql.models import (
    Chapter,
    Concept,
    Course,
    CourseEnrollment,
    Theory,
    theory_skills,
)

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["concept_creators", "teaches_skill_to", "teaches_student"]


def _courses_of(teacher_id: uuid.UUID, student_id: uuid.UUID) -> Select[uuid.UUID]:
    return (
        select(CourseEnrollment.course_id)
        .join(Course, Course.id == CourseEnrollment.course_id)
        .where(Course.teacher_id == teacher_id, CourseEnrollment.student_id == student_id)
    )


async def teaches_student(
    session: AsyncSession, *, teacher_id: uuid.UUID, student_id: uuid.UUID
) -> bool:
    """Whether the student is enrolled in a course the teacher teaches."""
    return bool(await session.scalar(select(exists(_courses_of(teacher_id, student_id)))))


async def teaches_skill_to(
    session: AsyncSession, *, teacher_id: uuid.UUID, student_id: uuid.UUID, skill_id: uuid.UUID
) -> bool:
    """Whether one course the teacher teaches has the student enrolled and the skill in it."""
    skill_in_course = (
        select(theory_skills.c.skill_id)
        .join(Theory, Theory.id == theory_skills.c.theory_id)
        .join(Chapter, Chapter.id == Theory.chapter_id)
        .where(
            theory_skills.c.skill_id == skill_id,
            Chapter.course_id.in_(_courses_of(teacher_id, student_id)),
        )
    )
    return bool(await session.scalar(select(exists(skill_in_course))))


async def concept_creators(
    session: AsyncSession, *, concept_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """The creator of each existing concept among the ids (None when nobody owns it)."""
    found = await session.execute(
        select(Concept.id, Concept.created_by).where(Concept.id.in_(concept_ids))
    )
    return {concept_id: creator for concept_id, creator in found.all()}
