"""Course queries, authoring, enrollment and skill mastery mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.commands import CourseChanges, CourseDraft, MasteryAssessment
from resolvers.course_structure import (
    ChapterSpec,
    ResourceSpec,
    TheorySpec,
    import_course_structure,
)
from resolvers.courses import (
    CourseWrite,
    course_by_id,
    course_page,
    create_course,
    delete_course,
    join_course,
    leave_course,
    update_course,
)
from resolvers.mastery import record_skill_mastery
from schema.info import Info
from schema.inputs import command, optional
from schema.limits import page_size
from schema.payloads import SyncedPayload
from schema.types.course import CourseType
from schema.types.pagination import After, Connection, First, build_connection, decode_cursor
from schema.types.skill_mastery import SkillMasteryType

__all__ = [
    "ChapterInput",
    "CourseMutation",
    "CourseQuery",
    "CreateCourseInput",
    "RecordSkillMasteryInput",
    "ResourceInput",
    "TheoryInput",
    "UpdateCourseInput",
]


@strawberry.input(description="A new course; you become its teacher.")
class CreateCourseInput:
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(default="", description="What it teaches.")


@strawberry.input(description="Only the fields given change.")
class UpdateCourseInput:
    title: str | None = optional("A new title.")
    description: str | None = optional("A new description.")


@strawberry.input(description="A reading or a video.")
class ResourceInput:
    title: str = strawberry.field(description="Its title.")
    url: str | None = strawberry.field(default=None, description="Where to read or watch it.")
    concept_names: list[str] = strawberry.field(
        default_factory=list, description="Names of the concepts it covers."
    )

    def spec(self) -> ResourceSpec:
        return ResourceSpec(self.title, self.url, list(self.concept_names))


@strawberry.input(description="A theory with its skills, concepts and resources, in order.")
class TheoryInput:
    name: str = strawberry.field(description="Its name.")
    summary: str = strawberry.field(default="", description="A short summary.")
    skills: list[str] = strawberry.field(
        default_factory=list, description="Names of the skills it teaches (created when new)."
    )
    concept_names: list[str] = strawberry.field(
        default_factory=list, description="Names of the concepts it covers."
    )
    readings: list[ResourceInput] = strawberry.field(
        default_factory=list, description="Readings, in order."
    )
    videos: list[ResourceInput] = strawberry.field(
        default_factory=list, description="Videos, in order."
    )

    def spec(self) -> TheorySpec:
        return TheorySpec(
            name=self.name,
            summary=self.summary,
            skills=list(self.skills),
            concept_names=list(self.concept_names),
            readings=[reading.spec() for reading in self.readings],
            videos=[video.spec() for video in self.videos],
        )


@strawberry.input(description="A chapter with its theories, in order.")
class ChapterInput:
    name: str = strawberry.field(description="Its name.")
    theories: list[TheoryInput] = strawberry.field(
        default_factory=list, description="Its theories, in order."
    )

    def spec(self) -> ChapterSpec:
        return ChapterSpec(self.name, [theory.spec() for theory in self.theories])


@strawberry.input(
    description="An assessment of a student on a skill (the course's teacher or an admin)."
)
class RecordSkillMasteryInput:
    student_id: strawberry.ID = strawberry.field(description="The student assessed.")
    skill_id: strawberry.ID = strawberry.field(description="The skill assessed.")
    mastery: float = strawberry.field(description="0..1")
    confidence: float = strawberry.field(description="0..1")


@strawberry.type(description="The result of creating or changing a course.")
class CoursePayload(SyncedPayload):
    course: CourseType | None = strawberry.field(
        default=None, description="The course as written; null on failure."
    )


@strawberry.type(description="The result of deleting a course.")
class DeleteCoursePayload(SyncedPayload):
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the deleted course; null on failure."
    )


@strawberry.type(description="The result of recording skill mastery.")
class SkillMasteryPayload(SyncedPayload):
    mastery: SkillMasteryType | None = strawberry.field(
        default=None, description="The mastery as it now stands; null on failure."
    )


def _course_payload(written: CourseWrite) -> CoursePayload:
    return CoursePayload(course=CourseType.from_row(written.course), sync_token=written.sync_token)


@strawberry.type
class CourseQuery:
    @strawberry.field(description="A course by id.")
    async def course(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
    ) -> CourseType | None:
        row = await course_by_id(info.context, id)
        return CourseType.from_row(row) if row else None

    @strawberry.field(description="Every course, by title.")
    async def courses(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[CourseType]:
        start, limit = decode_cursor(after), page_size(info, first)
        rows, total = await course_page(info.context, offset=start, limit=limit)
        return build_connection(rows, start=start, total=total, to_node=CourseType.from_row)


@strawberry.type
class CourseMutation:
    @strawberry.mutation(description="Create a course the caller teaches (teachers and admins).")
    async def create_course(
        self,
        info: Info,
        input: Annotated[CreateCourseInput, strawberry.argument(description="The new course.")],
    ) -> CoursePayload:
        return _course_payload(await create_course(info.context, command(input, CourseDraft)))

    @strawberry.mutation(description="Change a course (its teacher or an admin).")
    async def update_course(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
        input: Annotated[
            UpdateCourseInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> CoursePayload:
        return _course_payload(await update_course(info.context, id, command(input, CourseChanges)))

    @strawberry.mutation(
        description="Delete a course with its structure (its teacher or an admin)."
    )
    async def delete_course(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
    ) -> DeleteCoursePayload:
        deleted_id, token = await delete_course(info.context, id)
        return DeleteCoursePayload(deleted_id=strawberry.ID(deleted_id), sync_token=token)

    @strawberry.mutation(
        description="Replace a course's chapters, theories and materials as a whole."
    )
    async def import_course_structure(
        self,
        info: Info,
        course_id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
        chapters: Annotated[
            list[ChapterInput],
            strawberry.argument(description="The whole new structure, chapters in order."),
        ],
    ) -> CoursePayload:
        specs = [chapter.spec() for chapter in chapters]
        return _course_payload(await import_course_structure(info.context, course_id, specs))

    @strawberry.mutation(description="Join a course (students); joining twice changes nothing.")
    async def join_course(
        self,
        info: Info,
        course_id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
    ) -> CoursePayload:
        return _course_payload(await join_course(info.context, course_id))

    @strawberry.mutation(description="Leave a course the calling student is in.")
    async def leave_course(
        self,
        info: Info,
        course_id: Annotated[strawberry.ID, strawberry.argument(description="The course's id.")],
    ) -> CoursePayload:
        return _course_payload(await leave_course(info.context, course_id))

    @strawberry.mutation(
        description="Record an assessment of a student's skill (teachers, admins)."
    )
    async def record_skill_mastery(
        self,
        info: Info,
        input: Annotated[
            RecordSkillMasteryInput, strawberry.argument(description="The assessment.")
        ],
    ) -> SkillMasteryPayload:
        written = await record_skill_mastery(info.context, command(input, MasteryAssessment))
        return SkillMasteryPayload(
            mastery=SkillMasteryType.from_row(written.mastery), sync_token=written.sync_token
        )
