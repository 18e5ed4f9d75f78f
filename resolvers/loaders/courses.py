"""Batch loads of courses and their structure from SQL: one statement per level per request."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Column, Select, Table, select

from persistence.sql.models import (
    Chapter,
    Concept,
    Course,
    CourseEnrollment,
    Reading,
    Skill,
    SkillMastery,
    Theory,
    User,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from resolvers.loaders.registry import grouped_by, in_key_order, read_session

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.sql import Executable

    from resolvers.resources import ApiResources

__all__ = [
    "chapters_of",
    "concepts_by_reading",
    "concepts_by_video",
    "concepts_of",
    "courses_by_id",
    "grouped_rows",
    "pairs",
    "readings_of",
    "skill_mastery_by_user",
    "skills_by_id",
    "skills_of",
    "students_by_course",
    "theories_of",
    "videos_of",
]

Keys = list[uuid.UUID]
R = TypeVar("R")


async def grouped_rows(resources: ApiResources, query: Executable, keys: Keys) -> list[list[Any]]:
    """Runs a query whose rows start with a parent key; its rows per key, in key order."""
    async with read_session(resources) as session:
        rows: Sequence[Any] = (await session.execute(query)).all()
    return grouped_by(rows, keys, lambda row: row[0])


async def pairs(resources: ApiResources, query: Select[uuid.UUID, R], keys: Keys) -> list[list[R]]:
    """Runs a (parent key, row) query and groups the rows per key, in key order."""
    grouped = await grouped_rows(resources, query, keys)
    return [[row[1] for row in group] for group in grouped]


async def courses_by_id(resources: ApiResources, keys: Keys) -> list[Course | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(Course).where(Course.id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda course: course.id)


async def skills_by_id(resources: ApiResources, keys: Keys) -> list[Skill | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(Skill).where(Skill.id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda skill: skill.id)


async def students_by_course(resources: ApiResources, keys: Keys) -> list[list[User]]:
    query = (
        select(CourseEnrollment.course_id, User)
        .join(User, User.id == CourseEnrollment.student_id)
        .where(CourseEnrollment.course_id.in_(keys))
        .order_by(CourseEnrollment.enrolled_at, User.username)
    )
    return await pairs(resources, query, keys)


def _in_order(model: Any, parent: Any, keys: Keys) -> Select[uuid.UUID, Any]:
    """(parent key, row) for every row under the given parents, in the row's own order."""
    return select(parent, model).where(parent.in_(keys)).order_by(model.order_index)


def chapters_of(courses: Keys) -> Select[uuid.UUID, Any]:
    return _in_order(Chapter, Chapter.course_id, courses)


def theories_of(chapters: Keys) -> Select[uuid.UUID, Any]:
    return _in_order(Theory, Theory.chapter_id, chapters)


def readings_of(theories: Keys) -> Select[uuid.UUID, Any]:
    return _in_order(Reading, Reading.theory_id, theories)


def videos_of(theories: Keys) -> Select[uuid.UUID, Any]:
    return _in_order(Video, Video.theory_id, theories)


def skills_of(theories: Keys) -> Select[uuid.UUID, Any]:
    link = theory_skills.c
    return (
        select(link.theory_id, Skill)
        .join(Skill, Skill.id == link.skill_id)
        .where(link.theory_id.in_(theories))
        .order_by(Skill.name)
    )


def _linked_concepts(link: Table, owner: str, keys: Keys) -> Select[uuid.UUID, Concept]:
    owner_id: Column[uuid.UUID] = link.c[owner]
    return (
        select(owner_id, Concept)
        .join(Concept, Concept.id == link.c.concept_id)
        .where(owner_id.in_(keys))
        .order_by(Concept.name)
    )


def concepts_of(theories: Keys) -> Select[uuid.UUID, Concept]:
    return _linked_concepts(theory_concepts, "theory_id", theories)


async def concepts_by_reading(resources: ApiResources, keys: Keys) -> list[list[Concept]]:
    return await pairs(resources, _linked_concepts(reading_concepts, "reading_id", keys), keys)


async def concepts_by_video(resources: ApiResources, keys: Keys) -> list[list[Concept]]:
    return await pairs(resources, _linked_concepts(video_concepts, "video_id", keys), keys)


async def skill_mastery_by_user(resources: ApiResources, keys: Keys) -> list[list[SkillMastery]]:
    """Every skill mastery of each user, best first (for `me { skillMastery }`)."""
    query = (
        select(SkillMastery.user_id, SkillMastery)
        .where(SkillMastery.user_id.in_(keys))
        .order_by(SkillMastery.current_mastery.desc(), SkillMastery.skill_id)
    )
    return await pairs(resources, query, keys)
