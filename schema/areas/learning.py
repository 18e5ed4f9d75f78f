"""Learning mutations: progress, quizzes (writing and taking them) and path enrollment."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.commands import Answer, ProgressReport, QuizDraft
from resolvers.progress import enroll_in_path, record_progress
from resolvers.quizzes import create_quiz, submit_quiz_attempt
from schema.info import Info
from schema.inputs import command
from schema.payloads import Payload, SyncedPayload
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


@strawberry.input(description="Your progress on one concept.")
class RecordProgressInput:
    concept_id: strawberry.ID = strawberry.field(description="The concept.")
    status: ProgressStatus = strawberry.field(description="Where you stand.")
    progress_percent: float = strawberry.field(description="0 to 100.")
    time_spent_seconds: int = strawberry.field(default=0, description="Study time to add, >= 0.")


@strawberry.input(description="One question of a new quiz.")
class QuestionInput:
    prompt: str = strawberry.field(description="What is asked.")
    kind: QuestionKind = strawberry.field(description="How it is answered.")
    options: list[str] = strawberry.field(
        default_factory=list, description="The choices (choice questions only)."
    )
    correct_answers: list[str] = strawberry.field(
        description="Single choice: exactly one option; multiple: the right options; "
        "short text: every accepted answer (case and spacing are ignored)."
    )
    points: int = strawberry.field(default=1, description="What a right answer scores, at least 1.")


@strawberry.input(description="A new quiz on a concept.")
class CreateQuizInput:
    concept_id: strawberry.ID = strawberry.field(description="The concept it tests.")
    title: str = strawberry.field(description="Its title.")
    passing_score: int = strawberry.field(description="Percent of the points needed, 0 to 100.")
    questions: list[QuestionInput] = strawberry.field(
        description="Its questions, in order (at least one)."
    )


@strawberry.input(description="Your answer to one question.")
class AnswerInput:
    question_id: strawberry.ID = strawberry.field(description="The question.")
    answers: list[str] = strawberry.field(
        description="The options picked, or the text typed (one item)."
    )


@strawberry.type(description="The result of recording progress.")
class ProgressPayload(SyncedPayload):
    progress: ConceptProgressType | None = strawberry.field(
        default=None, description="The progress as written; null on failure."
    )


@strawberry.type(description="The result of writing a quiz.")
class QuizPayload(Payload):
    quiz: QuizType | None = strawberry.field(
        default=None, description="The quiz as written; null on failure."
    )


@strawberry.type(description="The graded attempt and what it changed.")
class QuizAttemptPayload(SyncedPayload):
    attempt: QuizAttemptType | None = strawberry.field(
        default=None, description="The graded attempt; null on failure."
    )
    progress: ConceptProgressType | None = strawberry.field(
        default=None, description="Your progress on the quiz's concept after it."
    )
    new_achievements: list[AchievementType] = strawberry.field(
        default_factory=list, description="Achievements this attempt earned."
    )


@strawberry.type(description="The result of enrolling in a path.")
class EnrollmentPayload(SyncedPayload):
    enrollment: PathEnrollmentType | None = strawberry.field(
        default=None, description="The enrollment; null on failure."
    )


@strawberry.type
class LearningMutation:
    @strawberry.mutation(description="Record your own progress on a concept.")
    async def record_progress(
        self,
        info: Info,
        input: Annotated[RecordProgressInput, strawberry.argument(description="Your progress.")],
    ) -> ProgressPayload:
        written = await record_progress(info.context, command(input, ProgressReport))
        progress = ConceptProgressType.from_row(written.progress)
        return ProgressPayload(progress=progress, sync_token=written.sync_token)

    @strawberry.mutation(description="Write a quiz on a concept (teachers and admins).")
    async def create_quiz(
        self,
        info: Info,
        input: Annotated[CreateQuizInput, strawberry.argument(description="The new quiz.")],
    ) -> QuizPayload:
        written = await create_quiz(info.context, command(input, QuizDraft))
        return QuizPayload(quiz=QuizType.from_row(written.quiz))

    @strawberry.mutation(description="Submit answers; graded on the server.")
    async def submit_quiz_attempt(
        self,
        info: Info,
        quiz_id: Annotated[strawberry.ID, strawberry.argument(description="The quiz's id.")],
        answers: Annotated[
            list[AnswerInput], strawberry.argument(description="One answer per question answered.")
        ],
    ) -> QuizAttemptPayload:
        given = [command(answer, Answer) for answer in answers]
        written = await submit_quiz_attempt(info.context, quiz_id, given)
        return QuizAttemptPayload(
            attempt=QuizAttemptType.from_row(written.attempt),
            progress=ConceptProgressType.from_row(written.progress),
            new_achievements=[AchievementType.from_row(a) for a in written.new_achievements],
            sync_token=written.sync_token,
        )

    @strawberry.mutation(description="Enroll yourself in a learning path; enrolling twice is fine.")
    async def enroll_in_path(
        self,
        info: Info,
        path_id: Annotated[
            strawberry.ID, strawberry.argument(description="The learning path's id.")
        ],
    ) -> EnrollmentPayload:
        written = await enroll_in_path(info.context, path_id)
        enrollment = PathEnrollmentType.from_row(written.enrollment)
        return EnrollmentPayload(enrollment=enrollment, sync_token=written.sync_token)
