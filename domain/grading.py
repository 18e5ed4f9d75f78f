"""Quiz rules: which answer keys a quiz may hold, grading a submission, and its effect on progress."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.progress import ProgressStatus
from domain.validation import is_blank

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from domain.validation import Checks

__all__ = [
    "Grade",
    "ProgressState",
    "QuestionDraft",
    "QuestionKey",
    "QuestionKind",
    "check_questions",
    "grade",
    "is_correct",
    "progress_after_attempt",
]


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SHORT_TEXT = "short_text"


SINGLE = QuestionKind.SINGLE_CHOICE
MULTIPLE = QuestionKind.MULTIPLE_CHOICE
SHORT = QuestionKind.SHORT_TEXT
MAX_POINTS = 1_000  # per question


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs of a question: its kind, accepted answers and worth."""

    id: str
    kind: QuestionKind
    correct_answers: tuple[str, ...]
    points: int


@dataclass(frozen=True)
class Grade:
    score: int
    max_score: int

    @property
    def ratio(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    def passes(self, passing_score: float) -> bool:
        return 100 * self.ratio >= passing_score


@dataclass(frozen=True)
class ProgressState:
    status: ProgressStatus
    progress_percent: float
    mastery_score: float


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_correct(question: QuestionKey, given: Sequence[str]) -> bool:
    """Single choice: the one right option; multiple: exactly the right set; text: any accepted."""
    if question.kind == SHORT:
        accepted = {_normal(answer) for answer in question.correct_answers}
        return len(given) == 1 and _normal(given[0]) in accepted
    if question.kind == SINGLE:
        return list(given) == list(question.correct_answers)
    return len(given) == len(set(given)) and set(given) == set(question.correct_answers)


def grade(questions: Sequence[QuestionKey], answers: Mapping[str, Sequence[str]]) -> Grade:
    """Points earned over all questions; an unanswered question earns nothing."""
    earned = sum(q.points for q in questions if q.id in answers and is_correct(q, answers[q.id]))
    return Grade(score=earned, max_score=sum(q.points for q in questions))


def _at_least(status: ProgressStatus, floor: ProgressStatus) -> ProgressStatus:
    return status if status.rank >= floor.rank else floor


def progress_after_attempt(
    current: ProgressState | None, grade: Grade, *, passed: bool
) -> ProgressState:
    """Passing completes the concept (at least); mastery keeps the best ratio reached so far."""
    before = current or ProgressState(ProgressStatus.NOT_STARTED, 0.0, 0.0)
    mastery = max(before.mastery_score, grade.ratio)
    if passed:
        return ProgressState(_at_least(before.status, ProgressStatus.COMPLETED), 100.0, mastery)
    return ProgressState(
        _at_least(before.status, ProgressStatus.IN_PROGRESS), before.progress_percent, mastery
    )


@dataclass(frozen=True)
class QuestionDraft:
    prompt: str
    kind: QuestionKind
    options: Sequence[str]
    correct_answers: Sequence[str]
    points: int


def _check_answer_key(checks: Checks, at: str, draft: QuestionDraft) -> None:
    correct = list(draft.correct_answers)
    outside = [answer for answer in correct if answer not in draft.options]
    if draft.kind == SINGLE and len(correct) != 1:
        checks.fail(f"{at}.correctAnswers", "a single choice question has exactly one answer")
    elif draft.kind in (SINGLE, MULTIPLE) and outside:
        checks.fail(f"{at}.correctAnswers", "correct answers must be among the options")
    elif draft.kind == MULTIPLE and not correct:
        checks.fail(f"{at}.correctAnswers", "a multiple choice question needs a correct answer")
    elif draft.kind == SHORT and all(is_blank(answer) for answer in correct):
        checks.fail(f"{at}.correctAnswers", "a short text question needs an accepted answer")


def check_questions(checks: Checks, drafts: Sequence[QuestionDraft]) -> None:
    """Every question must be gradable; errors name input.questions[i].<field>."""
    if not drafts:
        checks.fail("questions", "a quiz needs at least one question")
    for index, draft in enumerate(drafts):
        at = f"questions[{index}]"
        checks.text(f"{at}.prompt", draft.prompt, max_length=5000, required=True)
        checks.texts(f"{at}.options", list(draft.options))
        if draft.kind in (SINGLE, MULTIPLE) and len(draft.options) < 2:
            checks.fail(f"{at}.options", "a choice question needs at least two options")
        checks.number(f"{at}.points", draft.points, low=1, high=MAX_POINTS)
        _check_answer_key(checks, at, draft)
