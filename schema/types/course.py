"""The Course type and its structure: chapters, theories, skills, readings, videos (from SQL)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self, TypeVar

import strawberry

from resolvers import graph_reads, policy
from resolvers.loaders import course_tree as tree
from resolvers.loaders.courses import (
    concepts_by_reading,
    concepts_by_video,
    students_by_course,
)
from resolvers.loaders.users import users_by_id
from schema.extensions.degraded import field_path
from schema.info import Info
from schema.types.concept import ConceptType
from schema.types.required import required
from schema.types.user import UserType

if TYPE_CHECKING:
    from persistence.sql.models import Chapter, Course, Reading, Skill, Theory, Video
    from resolvers.loaders.course_tree import TreeKey
    from resolvers.loaders.federated import Federated

__all__ = ["ChapterType", "CourseType", "ReadingType", "SkillType", "TheoryType", "VideoType"]

R = TypeVar("R")


@strawberry.type(name="Skill", description="A skill, shared by name across courses.")
class SkillType:
    id: strawberry.ID = strawberry.field(description="The skill's id.")
    name: str = strawberry.field(description="Its unique name.")
    description: str = strawberry.field(description="What the skill is about.")

    @classmethod
    def from_row(cls, row: Skill) -> SkillType:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, description=row.description)


@strawberry.type
class LearningResourceFields:
    """What readings and videos share: a titled link in a theory's order."""

    id: strawberry.ID = strawberry.field(description="The resource's id.")
    title: str = strawberry.field(description="Its title.")
    url: str | None = strawberry.field(
        description="Where to read or watch it; null when not online."
    )
    order: int = strawberry.field(description="Its place in the theory, from 0.")

    @classmethod
    def from_row(cls, row: Reading | Video) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)), title=row.title, url=row.url, order=row.order_index
        )


@strawberry.type(name="Reading", description="A text to read, part of a theory.")
class ReadingType(LearningResourceFields):
    @strawberry.field(description="Concepts the reading covers.")
    async def concepts(self, info: Info) -> list[ConceptType]:
        rows = await info.context.loaders.of(concepts_by_reading).load(uuid.UUID(self.id))
        return [ConceptType.from_row(row) for row in rows]


@strawberry.type(name="Video", description="A video to watch, part of a theory.")
class VideoType(LearningResourceFields):
    @strawberry.field(description="Concepts the video covers.")
    async def concepts(self, info: Info) -> list[ConceptType]:
        rows = await info.context.loaders.of(concepts_by_video).load(uuid.UUID(self.id))
        return [ConceptType.from_row(row) for row in rows]


@strawberry.type(name="Theory", description="A unit of a chapter, in the chapter's order.")
class TheoryType:
    id: strawberry.ID = strawberry.field(description="The theory's id.")
    name: str = strawberry.field(description="Its name.")
    summary: str = strawberry.field(description="A short summary; may be empty.")
    order: int = strawberry.field(description="Its place in the chapter, from 0.")
    version: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Theory) -> TheoryType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            summary=row.summary,
            order=row.order_index,
            version=row.version,
        )

    @strawberry.field(description="Skills the theory teaches, by name.")
    async def skills(self, info: Info) -> list[SkillType]:
        rows = await _level(info, tree.SKILLS, self.id, self.version)
        return [SkillType.from_row(row) for row in rows]

    @strawberry.field(description="Concepts the theory covers, by name.")
    async def concepts(self, info: Info) -> list[ConceptType]:
        rows = await _level(info, tree.THEORY_CONCEPTS, self.id, self.version)
        return [ConceptType.from_row(row) for row in rows]

    @strawberry.field(description="Readings in order.")
    async def readings(self, info: Info) -> list[ReadingType]:
        rows = await _level(info, tree.READINGS, self.id, self.version)
        return [ReadingType.from_row(row) for row in rows]

    @strawberry.field(description="Videos in order.")
    async def videos(self, info: Info) -> list[VideoType]:
        rows = await _level(info, tree.VIDEOS, self.id, self.version)
        return [VideoType.from_row(row) for row in rows]


@strawberry.type(name="Chapter", description="A chapter of a course, in the course's order.")
class ChapterType:
    id: strawberry.ID = strawberry.field(description="The chapter's id.")
    name: str = strawberry.field(description="Its name.")
    order: int = strawberry.field(description="Its place in the course, from 0.")
    version: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Chapter) -> ChapterType:
        return cls(
            id=strawberry.ID(str(row.id)), name=row.name, order=row.order_index, version=row.version
        )

    @strawberry.field(description="Theories in order.")
    async def theories(self, info: Info) -> list[TheoryType]:
        rows = await _level(info, tree.THEORIES, self.id, self.version)
        return [TheoryType.from_row(row) for row in rows]


async def _level(
    info: Info, level: Federated[TreeKey, list[R]], parent_id: str, version: int
) -> list[R]:
    key = (str(parent_id), version)
    return await graph_reads.course_level(info.context, field_path(info), level, key)


@strawberry.type(name="Course", description="A course a teacher teaches and students join.")
class CourseType:
    id: strawberry.ID = strawberry.field(description="The course's id.")
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(description="What it teaches; may be empty.")
    version: int = strawberry.field(description="Grows by one on each change of the course.")
    teacher_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: Course) -> CourseType:
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            version=row.version,
            teacher_id=row.teacher_id,
        )

    @strawberry.field(description="The teacher who teaches the course.")
    async def teacher(self, info: Info) -> UserType:
        row = await info.context.loaders.of(users_by_id).load(self.teacher_id)
        return UserType.from_row(required(row, "teacher"))

    @strawberry.field(
        description="Students enrolled, earliest first: all of them for the course's teacher and"
        " admins; for anyone else only themself, if enrolled."
    )
    async def students(self, info: Info) -> list[UserType]:
        principal = info.context.principal
        if principal is None:
            return []
        rows = await info.context.loaders.of(students_by_course).load(uuid.UUID(self.id))
        if not policy.may_see_students(principal, self.teacher_id):
            rows = [row for row in rows if row.id == principal.user_id]
        return [UserType.from_row(row) for row in rows]

    @strawberry.field(
        description="Chapters in order, with their theories, skills, concepts and resources: from"
        " the graph once it holds this version of each part, from SQL until then or when the"
        " graph is unavailable."
    )
    async def chapters(self, info: Info) -> list[ChapterType]:
        rows = await _level(info, tree.CHAPTERS, self.id, self.version)
        return [ChapterType.from_row(row) for row in rows]
