"""Grading quiz answers and checking answer keys, without IO."""

from __future__ import annotations

from domain.grading import (
    Grade,
    ProgressState,
    QuestionDraft,
    QuestionKey,
    QuestionKind,
    check_questions,
    grade,
    is_correct,
    progress_after_attempt,
)
from domain.progress import ProgressStatus
from domain.validation import Checks

SINGLE = QuestionKey("q1", QuestionKind.SINGLE_CHOICE, ("O(log n)",), 2)
MULTIPLE = QuestionKey("q2", QuestionKind.MULTIPLE_CHOICE, ("stack", "queue"), 3)
SHORT = QuestionKey("q3", QuestionKind.SHORT_TEXT, ("Depth First Search", "DFS"), 1)


def test_a_single_choice_answer_is_right_only_when_it_is_exactly_the_correct_option() -> None:
    assert is_correct(SINGLE, ["O(log n)"])
    assert not is_correct(SINGLE, ["O(n)"])
    assert not is_correct(SINGLE, ["O(log n)", "O(n)"])
    assert not is_correct(SINGLE, [])


def test_a_multiple_choice_answer_must_match_the_correct_set_exactly() -> None:
    assert is_correct(MULTIPLE, ["queue", "stack"])
    assert not is_correct(MULTIPLE, ["stack"])
    assert not is_correct(MULTIPLE, ["stack", "queue", "heap"])
    assert not is_correct(MULTIPLE, ["stack", "stack", "queue"])


def test_a_short_text_answer_ignores_case_and_spacing() -> None:
    assert is_correct(SHORT, ["  depth   first SEARCH "])
    assert is_correct(SHORT, ["dfs"])
    assert not is_correct(SHORT, ["bfs"])
    assert not is_correct(SHORT, ["dfs", "bfs"])


def test_the_score_is_the_points_of_the_right_answers_out_of_all_points() -> None:
    result = grade([SINGLE, MULTIPLE, SHORT], {"q1": ["O(log n)"], "q3": ["DFS"]})
    assert result == Grade(score=3, max_score=6)
    assert result.ratio == 0.5
    assert result.passes(50)
    assert not result.passes(51)


def test_passing_completes_the_concept_and_keeps_the_best_mastery() -> None:
    before = ProgressState(ProgressStatus.IN_PROGRESS, 40.0, 0.9)
    after = progress_after_attempt(before, Grade(4, 5), passed=True)
    assert after == ProgressState(ProgressStatus.COMPLETED, 100.0, 0.9)


def test_passing_never_lowers_a_mastered_concept() -> None:
    before = ProgressState(ProgressStatus.MASTERED, 100.0, 1.0)
    assert progress_after_attempt(before, Grade(3, 5), passed=True).status == "mastered"


def test_failing_starts_the_concept_but_keeps_its_percent() -> None:
    after = progress_after_attempt(None, Grade(1, 5), passed=False)
    assert after == ProgressState(ProgressStatus.IN_PROGRESS, 0.0, 0.2)


def _fields(*drafts: QuestionDraft) -> list[str]:
    checks = Checks()
    check_questions(checks, list(drafts))
    return [error.field or "" for error in checks.errors]


def test_a_quiz_without_questions_is_refused() -> None:
    assert _fields() == ["questions"]


def test_a_single_choice_question_needs_exactly_one_correct_option_among_its_options() -> None:
    two = QuestionDraft("Pick", QuestionKind.SINGLE_CHOICE, ["a", "b"], ["a", "b"], 1)
    outside = QuestionDraft("Pick", QuestionKind.SINGLE_CHOICE, ["a", "b"], ["c"], 1)
    assert _fields(two, outside) == [
        "questions[0].correctAnswers",
        "questions[1].correctAnswers",
    ]


def test_multiple_choice_and_short_text_need_a_correct_answer_and_points() -> None:
    none = QuestionDraft("Pick", QuestionKind.MULTIPLE_CHOICE, ["a", "b"], [], 1)
    blank = QuestionDraft("Name it", QuestionKind.SHORT_TEXT, [], ["  "], 0)
    assert _fields(none, blank) == [
        "questions[0].correctAnswers",
        "questions[1].points",
        "questions[1].correctAnswers",
    ]


def test_a_well_formed_quiz_passes_the_checks() -> None:
    good = [
        QuestionDraft("Pick", QuestionKind.SINGLE_CHOICE, ["a", "b"], ["a"], 1),
        QuestionDraft("Pick all", QuestionKind.MULTIPLE_CHOICE, ["a", "b", "c"], ["a", "c"], 2),
        QuestionDraft("Name it", QuestionKind.SHORT_TEXT, [], ["DFS"], 1),
    ]
    assert _fields(*good) == []
