"""Learning mutations: progress, quizzes (writing and taking them) and path enrollment."""

from __future__ import annotations

import strawberry

from resolvers.progress import enroll_in_path, record_progress
from resolvers.quizzes import create_quiz, submit_quiz_attempt
from schema.errors import UserError
from schema.info import Info
from schema.payloads import input_fields, returning_errors
from schema.types.enums import ProgressStatus, QuestionKind
from schema.types.progress import AchievementType, ConceptProgressType, PathEnrollmentType
from schema.types.quiz import QuizAttemptType, QuizType

__all__ = [
    "AnswerInput",
    "CreateQuizInput",
    "LearningMutation",
    "QuestionInput",
    "RecordProgressInput",
]


@strawberry.input
class RecordProgressInput:
    concept_id: strawberry.ID
    status: ProgressStatus
    progress_percent: float = strawberry.field(description="0 to 100.")
    time_spent_seconds: int = strawberry.field(default=0, description="Study time to add, >= 0.")


@strawberry.input
class QuestionInput:
    prompt: str
    kind: QuestionKind
    options: list[str] = strawberry.field(default_factory=list)
    correct_answers: list[str] = strawberry.field(
        description="Single choice: exactly one option; multiple: the right options; "
        "short text: every accepted answer (case and spacing are ignored)."
    )
    points: int = 1


@strawberry.input
class CreateQuizInput:
    concept_id: strawberry.ID
    title: str
    passing_score: int = strawberry.field(description="Percent of the points needed, 0 to 100.")
    questions: list[QuestionInput]


@strawberry.input
class AnswerInput:
    question_id: strawberry.ID
    answers: list[str]


@strawberry.type
class ProgressPayload:
    progress: ConceptProgressType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class QuizPayload:
    quiz: QuizType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class QuizAttemptPayload:
    attempt: QuizAttemptType | None = None
    progress: ConceptProgressType | None = None
    new_achievements: list[AchievementType] = strawberry.field(default_factory=list)
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnrollmentPayload:
    enrollment: PathEnrollmentType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LearningMutation:
    @strawberry.mutation(description="Record your own progress on a concept.")
    async def record_progress(self, info: Info, input: RecordProgressInput) -> ProgressPayload:
        async def work() -> ProgressPayload:
            written = await record_progress(info.context, input_fields(input))
            progress = ConceptProgressType.from_row(written.progress)
            return ProgressPayload(progress=progress, sync_token=written.sync_token)

        return await returning_errors(work, ProgressPayload)

    @strawberry.mutation(description="Write a quiz on a concept (teachers and admins).")
    async def create_quiz(self, info: Info, input: CreateQuizInput) -> QuizPayload:
        async def work() -> QuizPayload:
            fields = input_fields(input)
            fields["questions"] = [input_fields(question) for question in input.questions]
            written = await create_quiz(info.context, fields)
            return QuizPayload(quiz=QuizType.from_row(written.quiz))

        return await returning_errors(work, QuizPayload)

    @strawberry.mutation(description="Submit answers; graded on the server.")
    async def submit_quiz_attempt(
        self, info: Info, quiz_id: strawberry.ID, answers: list[AnswerInput]
    ) -> QuizAttemptPayload:
        async def work() -> QuizAttemptPayload:
            given = [input_fields(answer) for answer in answers]
            written = await submit_quiz_attempt(info.context, quiz_id, given)
            return QuizAttemptPayload(
                attempt=QuizAttemptType.from_row(written.attempt),
                progress=ConceptProgressType.from_row(written.progress),
                new_achievements=[AchievementType.from_row(a) for a in written.new_achievements],
                sync_token=written.sync_token,
            )

        return await returning_errors(work, QuizAttemptPayload)

    @strawberry.mutation(description="Enroll yourself in a learning path; enrolling twice is fine.")
    async def enroll_in_path(self, info: Info, path_id: strawberry.ID) -> EnrollmentPayload:
        async def work() -> EnrollmentPayload:
            written = await enroll_in_path(info.context, path_id)
            enrollment = PathEnrollmentType.from_row(written.enrollment)
            return EnrollmentPayload(enrollment=enrollment, sync_token=written.sync_token)

        return await returning_errors(work, EnrollmentPayload)
