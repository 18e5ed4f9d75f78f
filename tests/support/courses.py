"""A small factory for course tests: a course with one chapter and theory teaching skills."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from persistence.sql.models import (
    Chapter,
    Course,
    CourseEnrollment,
    Skill,
    Theory,
    theory_concepts,
    theory_skills,
)

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

__all__ = ["make_course", "make_skill"]


def make_skill(engine: Engine, name: str) -> uuid.UUID:
    with Session(engine) as session, session.begin():
        skill = Skill(name=name)
        session.add(skill)
        session.flush()
        return skill.id


def make_course(
    engine: Engine,
    title: str,
    *,
    teacher: uuid.UUID,
    skills: Sequence[uuid.UUID] = (),
    concepts: Sequence[uuid.UUID] = (),
    students: Sequence[uuid.UUID] = (),
) -> uuid.UUID:
    """A course the teacher teaches: one chapter, one theory with these skills and concepts."""
    with Session(engine) as session, session.begin():
        course = Course(title=title, teacher_id=teacher)
        session.add(course)
        session.flush()
        chapter = Chapter(course_id=course.id, name=f"{title}: basics", order_index=0)
        session.add(chapter)
        session.flush()
        theory = Theory(chapter_id=chapter.id, name=f"{title}: first steps", order_index=0)
        session.add(theory)
        session.flush()
        for table, column, ids in (
            (theory_skills, "skill_id", skills),
            (theory_concepts, "concept_id", concepts),
        ):
            if ids:
                session.execute(insert(table), [{"theory_id": theory.id, column: i} for i in ids])
        session.add_all(CourseEnrollment(course_id=course.id, student_id=s) for s in students)
        return course.id
