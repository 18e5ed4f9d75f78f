"""Quizzes, their questions and learners' attempts; correct answers only for their authors."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from persistence.sql.models import Quiz
from resolvers import policy
from resolvers.concepts import concepts_by_ids
from resolvers.loaders.learning import questions_by_quiz, quizzes_by_id
from schema.info import Info
from schema.types.enums import QuestionKind
from schema.types.required import required
from schema.types.unread import UNREAD, Unread

if TYPE_CHECKING:
    from persistence.sql.models import Question, QuizAttempt
    from schema.types.concept import ConceptType

__all__ = ["QuestionType", "QuizAttemptType", "QuizType", "prefetch_quizzes"]

LazyConcept = Annotated["ConceptType", strawberry.lazy("schema.types.concept")]


@strawberry.type(name="Question", description="One question of a quiz.")
class QuestionType:
    id: strawberry.ID = strawberry.field(description="The question's id.")
    prompt: str = strawberry.field(description="What is asked.")
    kind: QuestionKind = strawberry.field(description="How it is answered.")
    options: list[str] = strawberry.field(description="The choices (empty for short text).")
    points: int = strawberry.field(description="What a right answer scores.")
    answer_key: strawberry.Private[list[str]]
    quiz_creator: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: Question, *, creator: uuid.UUID | None) -> QuestionType:
        return cls(
            id=strawberry.ID(str(row.id)),
            prompt=row.prompt,
            kind=QuestionKind(row.kind),
            options=list(row.options),
            points=row.points,
            answer_key=list(row.correct_answers),
            quiz_creator=creator,
        )

    @strawberry.field(description="Accepted answers: for the quiz's author and admins, else null.")
    def correct_answers(self, info: Info) -> list[str] | None:
        shown = policy.may_see_answers(info.context.principal, self.quiz_creator)
        return self.answer_key if shown else None


@strawberry.type(name="Quiz", description="A graded set of questions on one concept.")
class QuizType:
    id: strawberry.ID = strawberry.field(description="The quiz's id.")
    title: str = strawberry.field(description="Its title.")
    passing_score: int = strawberry.field(description="Percent of the points needed to pass.")
    concept_id: strawberry.Private[uuid.UUID]
    created_by: strawberry.Private[uuid.UUID | None]
    # Its questions when the quiz was read with them (a concept's views); UNREAD until then.
    known_questions: strawberry.Private[list[QuestionType] | Unread] = UNREAD

    @classmethod
    def from_row(cls, row: Quiz, questions: Sequence[Question] | None = None) -> QuizType:
        """questions: the quiz's rows in order, when they were read with it."""
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            passing_score=row.passing_score,
            concept_id=row.concept_id,
            created_by=row.created_by,
            known_questions=UNREAD
            if questions is None
            else [QuestionType.from_row(one, creator=row.created_by) for one in questions],
        )

    @strawberry.field(description="The concept the quiz tests.")
    async def concept(self, info: Info) -> LazyConcept:
        from schema.types.concept import ConceptType

        rows = await concepts_by_ids(info.context, [self.concept_id])
        return ConceptType.from_row(required(rows[0] if rows else None, "concept"))

    @strawberry.field(description="Its questions, in order.", graphql_type=list[QuestionType])
    def questions(self, info: Info) -> list[QuestionType] | Awaitable[list[QuestionType]]:
        # Not async: questions read with the quiz answer at once, without a task.
        if not isinstance(self.known_questions, Unread):
            return self.known_questions
        return self._load_questions(info)

    async def _load_questions(self, info: Info) -> list[QuestionType]:
        rows = await info.context.loaders.of(questions_by_quiz).load(uuid.UUID(str(self.id)))
        return [QuestionType.from_row(row, creator=self.created_by) for row in rows]


@strawberry.type(name="QuizAttempt", description="A learner's graded submission.")
class QuizAttemptType:
    id: strawberry.ID = strawberry.field(description="The attempt's id.")
    score: float = strawberry.field(description="Points scored.")
    max_score: float = strawberry.field(description="Points possible.")
    passed: bool = strawberry.field(
        description="Whether the score reached the quiz's passing score."
    )
    submitted_at: datetime = strawberry.field(description="When it was submitted.")
    quiz_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: QuizAttempt, quiz: Quiz | None = None) -> QuizAttemptType:
        """quiz: its row when the list read it with the attempt."""
        return cls(
            id=strawberry.ID(str(row.id)),
            score=row.score,
            max_score=row.max_score,
            passed=row.passed,
            submitted_at=row.submitted_at,
            quiz_id=row.quiz_id,
            known_quiz=quiz,
        )

    # The quiz's row once the list read them all in one load (prefetch_quizzes).
    known_quiz: strawberry.Private[Quiz | None] = None

    @strawberry.field(description="The quiz attempted.", graphql_type=QuizType)
    def quiz(self, info: Info) -> QuizType | Awaitable[QuizType]:
        if self.known_quiz is not None:
            return QuizType.from_row(self.known_quiz)
        return self._load_quiz(info)

    async def _load_quiz(self, info: Info) -> QuizType:
        row = await info.context.loaders.of(quizzes_by_id).load(self.quiz_id)
        return QuizType.from_row(required(row, "quiz"))


async def prefetch_quizzes(info: Info, attempts: Sequence[QuizAttemptType]) -> None:
    """The quizzes of all these attempts in one load, kept on each of them."""
    rows = await info.context.loaders.of(quizzes_by_id).load_many([a.quiz_id for a in attempts])
    for attempt, row in zip(attempts, rows, strict=True):
        attempt.known_quiz = row
