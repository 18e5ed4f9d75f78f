"""Course queries, authoring, enrollment and skill mastery mutations."""

from __future__ import annotations

import strawberry

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
from schema.errors import UserError
from schema.info import Info
from schema.limits import page_size
from schema.payloads import input_fields, returning_errors
from schema.types.course import CourseType
from schema.types.pagination import Connection, build_connection, decode_cursor
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


@strawberry.input
class CreateCourseInput:
    title: str
    description: str = ""


@strawberry.input
class UpdateCourseInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input(description="A reading or a video.")
class ResourceInput:
    title: str
    url: str | None = None
    concept_names: list[str] = strawberry.field(default_factory=list)

    def spec(self) -> ResourceSpec:
        return ResourceSpec(self.title, self.url, list(self.concept_names))


@strawberry.input
class TheoryInput:
    name: str
    summary: str = ""
    skills: list[str] = strawberry.field(default_factory=list)
    concept_names: list[str] = strawberry.field(default_factory=list)
    readings: list[ResourceInput] = strawberry.field(default_factory=list)
    videos: list[ResourceInput] = strawberry.field(default_factory=list)

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
    name: str
    theories: list[TheoryInput] = strawberry.field(default_factory=list)

    def spec(self) -> ChapterSpec:
        return ChapterSpec(self.name, [theory.spec() for theory in self.theories])


@strawberry.input
class RecordSkillMasteryInput:
    student_id: strawberry.ID
    skill_id: strawberry.ID
    mastery: float = strawberry.field(description="0..1")
    confidence: float = strawberry.field(description="0..1")


@strawberry.type
class CoursePayload:
    course: CourseType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCoursePayload:
    deleted_id: strawberry.ID | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SkillMasteryPayload:
    mastery: SkillMasteryType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _course_payload(written: CourseWrite) -> CoursePayload:
    return CoursePayload(course=CourseType.from_row(written.course), sync_token=written.sync_token)


@strawberry.type
class CourseQuery:
    @strawberry.field(description="A course by id.")
    async def course(self, info: Info, id: strawberry.ID) -> CourseType | None:
        row = await course_by_id(info.context, id)
        return CourseType.from_row(row) if row else None

    @strawberry.field(description="Every course, by title.")
    async def courses(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CourseType]:
        start, limit = decode_cursor(after), page_size(info, first)
        rows, total = await course_page(info.context, offset=start, limit=limit)
        return build_connection(rows, start=start, total=total, to_node=CourseType.from_row)


@strawberry.type
class CourseMutation:
    @strawberry.mutation(description="Create a course the caller teaches (teachers and admins).")
    async def create_course(self, info: Info, input: CreateCourseInput) -> CoursePayload:
        async def work() -> CoursePayload:
            return _course_payload(await create_course(info.context, input_fields(input)))

        return await returning_errors(work, CoursePayload)

    @strawberry.mutation(description="Change a course (its teacher or an admin).")
    async def update_course(
        self,
        info: Info,
        id: strawberry.ID,
        input: UpdateCourseInput,
    ) -> CoursePayload:
        async def work() -> CoursePayload:
            return _course_payload(await update_course(info.context, id, input_fields(input)))

        return await returning_errors(work, CoursePayload)

    @strawberry.mutation(
        description="Delete a course with its structure (its teacher or an admin)."
    )
    async def delete_course(self, info: Info, id: strawberry.ID) -> DeleteCoursePayload:
        async def work() -> DeleteCoursePayload:
            deleted_id, token = await delete_course(info.context, id)
            return DeleteCoursePayload(deleted_id=strawberry.ID(deleted_id), sync_token=token)

        return await returning_errors(work, DeleteCoursePayload)

    @strawberry.mutation(
        description="Replace a course's chapters, theories and materials as a whole."
    )
    async def import_course_structure(
        self, info: Info, course_id: strawberry.ID, chapters: list[ChapterInput]
    ) -> CoursePayload:
        async def work() -> CoursePayload:
            specs = [chapter.spec() for chapter in chapters]
            return _course_payload(await import_course_structure(info.context, course_id, specs))

        return await returning_errors(work, CoursePayload)

    @strawberry.mutation(description="Join a course (students); joining twice changes nothing.")
    async def join_course(self, info: Info, course_id: strawberry.ID) -> CoursePayload:
        async def work() -> CoursePayload:
            return _course_payload(await join_course(info.context, course_id))

        return await returning_errors(work, CoursePayload)

    @strawberry.mutation(description="Leave a course the calling student is in.")
    async def leave_course(self, info: Info, course_id: strawberry.ID) -> CoursePayload:
        async def work() -> CoursePayload:
            return _course_payload(await leave_course(info.context, course_id))

        return await returning_errors(work, CoursePayload)

    @strawberry.mutation(
        description="Record an assessment of a student's skill (teachers, admins)."
    )
    async def record_skill_mastery(
        self,
        info: Info,
        input: RecordSkillMasteryInput,
    ) -> SkillMasteryPayload:
        async def work() -> SkillMasteryPayload:
            written = await record_skill_mastery(info.context, input_fields(input))
            return SkillMasteryPayload(
                mastery=SkillMasteryType.from_row(written.mastery), sync_token=written.sync_token
            )

        return await returning_errors(work, SkillMasteryPayload)
