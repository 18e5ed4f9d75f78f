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

    from resolvers.resources import ApiResources

__all__ = [
    "chapters_by_course",
    "concepts_by_reading",
    "concepts_by_theory",
    "concepts_by_video",
    "courses_by_id",
    "readings_by_theory",
    "skill_mastery_by_user",
    "skills_by_id",
    "skills_by_theory",
    "students_by_course",
    "theories_by_chapter",
    "videos_by_theory",
]

Keys = list[uuid.UUID]
R = TypeVar("R")


async def _pairs(resources: ApiResources, query: Select[uuid.UUID, R], keys: Keys) -> list[list[R]]:
    """Runs a (parent key, row) query and groups the rows per key, in key order."""
    async with read_session(resources) as session:
        rows: Sequence[Any] = (await session.execute(query)).all()
    grouped = grouped_by(rows, keys, lambda pair: pair[0])
    return [[pair[1] for pair in group] for group in grouped]


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
    return await _pairs(resources, query, keys)


def _in_order(model: Any, parent: Any, keys: Keys) -> Select[Any]:
    """(parent key, row) for every row under the given parents, in the row's own order."""
    return select(parent, model).where(parent.in_(keys)).order_by(model.order_index)


async def chapters_by_course(resources: ApiResources, keys: Keys) -> list[list[Chapter]]:
    return await _pairs(resources, _in_order(Chapter, Chapter.course_id, keys), keys)


async def theories_by_chapter(resources: ApiResources, keys: Keys) -> list[list[Theory]]:
    return await _pairs(resources, _in_order(Theory, Theory.chapter_id, keys), keys)


async def readings_by_theory(resources: ApiResources, keys: Keys) -> list[list[Reading]]:
    return await _pairs(resources, _in_order(Reading, Reading.theory_id, keys), keys)


async def videos_by_theory(resources: ApiResources, keys: Keys) -> list[list[Video]]:
    return await _pairs(resources, _in_order(Video, Video.theory_id, keys), keys)


async def skills_by_theory(resources: ApiResources, keys: Keys) -> list[list[Skill]]:
    link = theory_skills.c
    query = (
        select(link.theory_id, Skill)
        .join(Skill, Skill.id == link.skill_id)
        .where(link.theory_id.in_(keys))
        .order_by(Skill.name)
    )
    return await _pairs(resources, query, keys)


def _linked_concepts(link: Table, owner: str, keys: Keys) -> Select[uuid.UUID, Concept]:
    owner_id: Column[uuid.UUID] = link.c[owner]
    return (
        select(owner_id, Concept)
        .join(Concept, Concept.id == link.c.concept_id)
        .where(owner_id.in_(keys))
        .order_by(Concept.name)
    )


async def concepts_by_theory(resources: ApiResources, keys: Keys) -> list[list[Concept]]:
    return await _pairs(resources, _linked_concepts(theory_concepts, "theory_id", keys), keys)


async def concepts_by_reading(resources: ApiResources, keys: Keys) -> list[list[Concept]]:
    return await _pairs(resources, _linked_concepts(reading_concepts, "reading_id", keys), keys)


async def concepts_by_video(resources: ApiResources, keys: Keys) -> list[list[Concept]]:
    return await _pairs(resources, _linked_concepts(video_concepts, "video_id", keys), keys)


async def skill_mastery_by_user(resources: ApiResources, keys: Keys) -> list[list[SkillMastery]]:
    """Every skill mastery of each user, best first (for `me { skillMastery }`)."""
    query = (
        select(SkillMastery.user_id, SkillMastery)
        .where(SkillMastery.user_id.in_(keys))
        .order_by(SkillMastery.current_mastery.desc(), SkillMastery.skill_id)
    )
    return await _pairs(resources, query, keys)
