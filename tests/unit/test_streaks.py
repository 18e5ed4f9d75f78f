"""Streaks of consecutive active days, without IO."""

from __future__ import annotations

from datetime import date, timedelta

from domain.achievements import LearnerStats, earned_codes
from domain.streaks import streak_days

TODAY = date(2026, 3, 10)


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=offset) for offset in offsets]


def test_no_activity_is_no_streak() -> None:
    assert streak_days([], TODAY) == 0


def test_a_run_ending_today_counts_every_consecutive_day() -> None:
    assert streak_days(days_ago(0, 1, 2, 4), TODAY) == 3


def test_a_run_ending_yesterday_still_counts_while_today_is_open() -> None:
    assert streak_days(days_ago(1, 2), TODAY) == 2


def test_a_run_that_ended_two_days_ago_is_broken() -> None:
    assert streak_days(days_ago(2, 3, 4), TODAY) == 0


def test_repeated_days_count_once() -> None:
    assert streak_days(days_ago(0, 0, 1), TODAY) == 2


def test_three_days_in_a_row_earn_on_a_roll_and_a_pass_earns_quiz_whiz() -> None:
    stats = LearnerStats(completed_concepts=1, mastered_concepts=0, passed_quizzes=1, streak_days=3)
    assert earned_codes(stats) == [
        "first_concept_completed",
        "first_quiz_passed",
        "three_day_streak",
    ]


def test_nothing_done_earns_nothing() -> None:
    assert earned_codes(LearnerStats(0, 0, 0, 0)) == []
