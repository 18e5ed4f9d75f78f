"""Writing quizzes (teachers, admins) and taking them: graded here, never on the client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.grading import (
    Grade,
    ProgressState,
    QuestionDraft,
    QuestionKey,
    QuestionKind,
    check_questions,
    grade,
    progress_after_attempt,
)
from domain.ids import parse_id
from domain.progress import ProgressStatus
from domain.validation import Checks
from persistence.sql.models import (
    Achievement,
    Concept,
    ConceptProgress,
    Question,
    Quiz,
    QuizAttempt,
)
from persistence.sql.repositories.progress import locked_progress
from persistence.sql.repositories.quizzes import questions_of
from persistence.sql.study_sessions import touch_open_session
from resolvers.achievements import award_achievements
from resolvers.progress import refresh_enrollments, save_progress
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import Answer, QuizDraft, QuizQuestion
    from resolvers.context import Context

__all__ = ["AttemptWrite", "QuizWrite", "create_quiz", "submit_quiz_attempt"]


@dataclass(frozen=True)
class QuizWrite:
    quiz: Quiz
    questions: list[Question]


@dataclass(frozen=True)
class AttemptWrite:
    attempt: QuizAttempt
    progress: ConceptProgress
    new_achievements: list[Achievement]
    sync_token: str | None


def _drafts(questions: Sequence[QuizQuestion]) -> list[QuestionDraft]:
    return [
        QuestionDraft(
            prompt=q.prompt,
            kind=q.kind,
            options=list(q.options),
            correct_answers=list(q.correct_answers),
            points=q.points,
        )
        for q in questions
    ]


def _check_quiz(draft: QuizDraft, drafts: list[QuestionDraft]) -> None:
    checks = Checks()
    checks.text("title", draft.title, max_length=200, required=True)
    checks.number("passingScore", draft.passing_score, low=0, high=100)
    check_questions(checks, drafts)
    checks.raise_if_any()


async def create_quiz(context: Context, draft: QuizDraft) -> QuizWrite:
    """A quiz on a concept; every question must be gradable. Quizzes are not in the graph."""
    principal = context.require_author()
    drafts = _drafts(draft.questions)
    _check_quiz(draft, drafts)
    concept_id = parse_id(draft.concept_id, field="conceptId", what="concept")
    async with context.unit_of_work() as uow:
        if await uow.session.get(Concept, concept_id) is None:
            raise UserErrors.one("conceptId", "no such concept", ErrorCode.NOT_FOUND)
        quiz = Quiz(
            concept_id=concept_id,
            title=draft.title.strip(),
            passing_score=draft.passing_score,
            created_by=principal.user_id,
        )
        uow.session.add(quiz)
        await uow.session.flush()
        questions = [_question(quiz.id, index, draft) for index, draft in enumerate(drafts)]
        uow.session.add_all(questions)
        await uow.commit()
    return QuizWrite(quiz=quiz, questions=questions)


def _question(quiz_id: uuid.UUID, index: int, draft: QuestionDraft) -> Question:
    return Question(
        quiz_id=quiz_id,
        order_index=index,
        prompt=draft.prompt,
        kind=draft.kind,
        options=list(draft.options),
        correct_answers=list(draft.correct_answers),
        points=draft.points,
    )


def _answers_by_question(
    answers: Sequence[Answer], questions: Sequence[Question]
) -> dict[str, list[str]]:
    """Answers keyed by question id; unknown or repeated ids are refused by position."""
    known = {str(question.id) for question in questions}
    checks = Checks()
    given: dict[str, list[str]] = {}
    for index, answer in enumerate(answers):
        question_id = answer.question_id.strip().lower()
        if question_id not in known:
            checks.fail(f"answers[{index}].questionId", "not a question of this quiz")
        elif question_id in given:
            checks.fail(f"answers[{index}].questionId", "this question is answered twice")
        given[question_id] = list(answer.answers)
    checks.raise_if_any()
    return given


async def _quiz_with_questions(uow: UnitOfWork, quiz_id: uuid.UUID) -> tuple[Quiz, list[Question]]:
    quiz = await uow.session.get(Quiz, quiz_id)
    if quiz is None:
        raise UserErrors.one("quizId", "no such quiz", ErrorCode.NOT_FOUND)
    return quiz, await questions_of(uow.session, quiz_id=quiz_id)


async def _progress_after(
    uow: UnitOfWork, user_id: uuid.UUID, quiz: Quiz, result: Grade
) -> ConceptProgress:
    key = {"user_id": user_id, "concept_id": quiz.concept_id}
    current = await locked_progress(uow.session, **key)
    before = (
        ProgressState(
            ProgressStatus(current.status), current.progress_percent, current.mastery_score
        )
        if current
        else None
    )
    after = progress_after_attempt(before, result, passed=result.passes(quiz.passing_score))
    return await save_progress(
        uow,
        user_id,
        quiz.concept_id,
        status=after.status,
        percent=after.progress_percent,
        mastery=round(after.mastery_score, 4),
    )


async def submit_quiz_attempt(
    context: Context, quiz_value: str, answers: Sequence[Answer]
) -> AttemptWrite:
    """Grades the answers, stores the attempt, moves the learner's progress on the concept."""
    user_id = context.require_user().user_id
    quiz_id = parse_id(quiz_value, field="quizId", what="quiz")
    async with context.unit_of_work() as uow:
        quiz, questions = await _quiz_with_questions(uow, quiz_id)
        given = _answers_by_question(answers, questions)
        keys = [
            QuestionKey(str(q.id), QuestionKind(q.kind), tuple(q.correct_answers), q.points)
            for q in questions
        ]
        result = grade(keys, given)
        attempt = QuizAttempt(
            quiz_id=quiz.id,
            user_id=user_id,
            answers=given,
            score=result.score,
            max_score=result.max_score,
            passed=result.passes(quiz.passing_score),
        )
        uow.session.add(attempt)
        await uow.session.flush()
        progress = await _progress_after(uow, user_id, quiz, result)
        await refresh_enrollments(uow, user_id, quiz.concept_id)
        await touch_open_session(uow.session, user_id)
        awarded = await award_achievements(uow.session, user_id)
        committed = await uow.commit()
    return AttemptWrite(attempt, progress, awarded, sync_token(committed))
