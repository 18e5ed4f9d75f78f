"""Lesson authoring (teachers and admins) and completing lessons (learners)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.commands import LessonChanges, LessonDraft
from resolvers.lesson_progress import complete_lesson
from resolvers.lessons import create_lesson, delete_lesson, update_lesson
from schema.info import Info
from schema.inputs import command, optional
from schema.payloads import Payload, SyncedPayload
from schema.types.lesson import LessonContentType, LessonProgressType, LessonType
from schema.types.progress import ConceptProgressType

__all__ = ["CreateLessonInput", "LessonMutation", "UpdateLessonInput"]


@strawberry.input(description="A new lesson on a concept.")
class CreateLessonInput:
    concept_id: strawberry.ID = strawberry.field(description="The concept it teaches.")
    title: str = strawberry.field(description="1 to 200 characters.")
    summary: str = strawberry.field(default="", description="At most 2000 characters.")
    body: str = strawberry.field(default="", description="The lesson; at most 100000 characters.")
    content_type: LessonContentType = strawberry.field(
        default=LessonContentType.TEXT, description="What kind of material."
    )
    duration_minutes: int = strawberry.field(default=10, description="1 to 600 minutes.")
    order_index: int | None = optional(
        "Its place, 0 first; the lessons from there move down. Default: last."
    )


@strawberry.input(description="Only the fields given change; expectedVersion guards the update.")
class UpdateLessonInput:
    title: str | None = optional("1 to 200 characters.")
    summary: str | None = optional("At most 2000 characters.")
    body: str | None = optional("At most 100000 characters.")
    content_type: LessonContentType | None = optional("What kind of material.")
    duration_minutes: int | None = optional("1 to 600 minutes.")
    order_index: int | None = optional("A new place; the lessons in between move.")
    expected_version: int | None = optional("Refused with CONFLICT unless the current version.")


@strawberry.type(description="The result of writing a lesson.")
class LessonPayload(Payload):
    lesson: LessonType | None = strawberry.field(
        default=None, description="The lesson as written; null on failure."
    )


@strawberry.type(description="The result of deleting a lesson.")
class LessonDeletionPayload(Payload):
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted lesson's id; null on failure."
    )


@strawberry.type(description="The result of completing a lesson.")
class LessonCompletionPayload(SyncedPayload):
    lesson_progress: LessonProgressType | None = strawberry.field(
        default=None, description="Your standing on the lesson; null on failure."
    )
    concept_progress: ConceptProgressType | None = strawberry.field(
        default=None, description="Your progress on its concept, as moved; null on failure."
    )


LessonId = Annotated[strawberry.ID, strawberry.argument(description="The lesson's id.")]


@strawberry.type
class LessonMutation:
    @strawberry.mutation(description="Add a lesson to a concept (teachers and admins).")
    async def create_lesson(
        self,
        info: Info,
        input: Annotated[CreateLessonInput, strawberry.argument(description="The new lesson.")],
    ) -> LessonPayload:
        row = await create_lesson(info.context, command(input, LessonDraft))
        return LessonPayload(lesson=LessonType.from_row(row))

    @strawberry.mutation(description="Change a lesson (teachers and admins).")
    async def update_lesson(
        self,
        info: Info,
        id: LessonId,
        input: Annotated[UpdateLessonInput, strawberry.argument(description="The changes.")],
    ) -> LessonPayload:
        row = await update_lesson(info.context, str(id), command(input, LessonChanges))
        return LessonPayload(lesson=LessonType.from_row(row))

    @strawberry.mutation(
        description="Delete a lesson; the ones after it move up (teachers, admins)."
    )
    async def delete_lesson(self, info: Info, id: LessonId) -> LessonDeletionPayload:
        deleted = await delete_lesson(info.context, str(id))
        return LessonDeletionPayload(deleted_id=strawberry.ID(str(deleted.deleted_id)))

    @strawberry.mutation(
        description="Complete a lesson: your progress on its concept becomes the share of its "
        "lessons you completed (never less than before)."
    )
    async def complete_lesson(self, info: Info, id: LessonId) -> LessonCompletionPayload:
        done = await complete_lesson(info.context, str(id))
        return LessonCompletionPayload(
            lesson_progress=LessonProgressType.from_row(done.lesson_progress),
            concept_progress=ConceptProgressType.from_row(done.concept_progress),
            sync_token=done.sync_token,
        )
