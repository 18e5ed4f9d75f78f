"""Lessons of a concept and a learner's progress on them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from domain.progress import LessonStatus
from resolvers.loaders.learning import lesson_progress_of, lessons_by_id
from schema.info import Info
from schema.types.enums import exposed

if TYPE_CHECKING:
    from persistence.sql.models import Lesson, LessonProgress

__all__ = ["LessonContentType", "LessonProgressType", "LessonStatus", "LessonType"]


@strawberry.enum(description="What kind of material a lesson is.")
class LessonContentType(enum.Enum):
    TEXT = strawberry.enum_value("text", description="Text to read.")
    VIDEO = strawberry.enum_value("video", description="A video to watch.")
    INTERACTIVE = strawberry.enum_value("interactive", description="Something to play with.")
    EXERCISE = strawberry.enum_value("exercise", description="Exercises to solve.")


exposed(
    LessonStatus,
    description="Where a learner stands on a lesson.",
    values={
        LessonStatus.IN_PROGRESS: "Started, not finished.",
        LessonStatus.COMPLETED: "Finished.",
    },
)


@strawberry.type(name="Lesson", description="A unit of teaching on one concept, in order.")
class LessonType:
    id: strawberry.ID = strawberry.field(description="The lesson's id.")
    concept_id: strawberry.ID = strawberry.field(description="The concept it teaches.")
    title: str = strawberry.field(description="Its title.")
    summary: str = strawberry.field(description="A short summary.")
    body: str = strawberry.field(description="The lesson itself.")
    content_type: LessonContentType = strawberry.field(description="What kind of material.")
    duration_minutes: int = strawberry.field(description="Expected study time, 1..600 minutes.")
    order_index: int = strawberry.field(
        description="Its place among the concept's lessons, 0 first."
    )
    version: int = strawberry.field(
        description="Grows on every change; send it as expectedVersion."
    )

    @classmethod
    def from_row(cls, row: Lesson) -> LessonType:
        return cls(
            id=strawberry.ID(str(row.id)),
            concept_id=strawberry.ID(str(row.concept_id)),
            title=row.title,
            summary=row.summary,
            body=row.body,
            content_type=LessonContentType(row.content_type),
            duration_minutes=row.duration_minutes,
            order_index=row.order_index,
            version=row.version,
        )

    @strawberry.field(
        description="The signed-in user's progress here; null when none or anonymous."
    )
    async def my_progress(self, info: Info) -> LessonProgressType | None:
        principal = info.context.principal
        if principal is None:
            return None
        key = (principal.user_id, uuid.UUID(str(self.id)))
        row = await info.context.loaders.of(lesson_progress_of).load(key)
        return LessonProgressType.from_row(row) if row else None


@strawberry.type(name="LessonProgress", description="A learner's standing on one lesson.")
class LessonProgressType:
    status: LessonStatus = strawberry.field(description="Started or completed.")
    completed_at: datetime | None = strawberry.field(description="When first completed.")
    lesson_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: LessonProgress) -> LessonProgressType:
        return cls(
            status=LessonStatus(row.status), completed_at=row.completed_at, lesson_id=row.lesson_id
        )

    @strawberry.field(description="The lesson.")
    async def lesson(self, info: Info) -> LessonType | None:
        row = await info.context.loaders.of(lessons_by_id).load(self.lesson_id)
        return LessonType.from_row(row) if row else None
