"""Demo quizzes with their questions, found by title and concept; quizzes stay out of the graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from persistence.sql.models import Concept, Question, Quiz
from persistence.sql.seed.data.quizzes import QUIZZES

if TYPE_CHECKING:
    import uuid

    from persistence.sql.seed.seeding import Seeding

__all__ = ["SeededQuiz", "load_quizzes"]


@dataclass(frozen=True)
class SeededQuiz:
    quiz: Quiz
    questions: list[Question]


def load_quizzes(
    seeding: Seeding, concepts: dict[str, Concept], *, author: uuid.UUID
) -> dict[str, SeededQuiz]:
    """title -> quiz with its questions in order, for every demo quiz (created when missing)."""
    return {
        fields["title"]: _quiz(seeding, fields, concepts[fields["concept"]].id, author)
        for fields in QUIZZES
    }


def _quiz(
    seeding: Seeding, fields: dict[str, Any], concept_id: uuid.UUID, author: uuid.UUID
) -> SeededQuiz:
    quiz = seeding.session.scalar(
        select(Quiz).where(Quiz.title == fields["title"], Quiz.concept_id == concept_id)
    )
    if quiz is None:
        quiz = _new_quiz(seeding, fields, concept_id, author)
    questions = seeding.session.scalars(
        select(Question).where(Question.quiz_id == quiz.id).order_by(Question.order_index)
    ).all()
    return SeededQuiz(quiz, list(questions))


def _new_quiz(
    seeding: Seeding, fields: dict[str, Any], concept_id: uuid.UUID, author: uuid.UUID
) -> Quiz:
    quiz = Quiz(
        concept_id=concept_id,
        title=fields["title"],
        passing_score=fields["passing_score"],
        created_by=author,
        version=1,
    )
    seeding.session.add(quiz)
    seeding.session.flush()
    questions = [
        Question(quiz_id=quiz.id, order_index=index, **question)
        for index, question in enumerate(fields["questions"])
    ]
    seeding.session.add_all(questions)
    seeding.session.flush()
    seeding.row_created("quiz")
    seeding.row_created("question", len(questions))
    return quiz
