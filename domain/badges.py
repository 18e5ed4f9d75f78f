"""Badges: definitions that name a rule over a learner's figures and a threshold.

Unlike achievements (fixed in code), badge definitions are rows: the catalogue below is what
the product installs, and any row with a known rule is checked the same way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.achievements import LearnerStats

__all__ = ["CATALOGUE", "BadgeDefinition", "BadgeRule", "criteria", "earned"]


class BadgeRule(enum.StrEnum):
    STREAK_DAYS = "streak_days"
    CONCEPTS_COMPLETED = "concepts_completed"
    CONCEPTS_MASTERED = "concepts_mastered"
    QUIZZES_PASSED = "quizzes_passed"
    PERFECT_QUIZZES = "perfect_quizzes"
    PATHS_COMPLETED = "paths_completed"


FIGURE: dict[BadgeRule, Callable[[LearnerStats], int]] = {
    BadgeRule.STREAK_DAYS: lambda s: s.streak_days,
    BadgeRule.CONCEPTS_COMPLETED: lambda s: s.completed_concepts,
    BadgeRule.CONCEPTS_MASTERED: lambda s: s.mastered_concepts,
    BadgeRule.QUIZZES_PASSED: lambda s: s.passed_quizzes,
    BadgeRule.PERFECT_QUIZZES: lambda s: s.perfect_quizzes,
    BadgeRule.PATHS_COMPLETED: lambda s: s.completed_paths,
}

WORDING: dict[BadgeRule, tuple[str, str]] = {
    BadgeRule.STREAK_DAYS: ("Study on {n} days in a row", "Study on {n} day"),
    BadgeRule.CONCEPTS_COMPLETED: ("Complete {n} concepts", "Complete a concept"),
    BadgeRule.CONCEPTS_MASTERED: ("Master {n} concepts", "Master a concept"),
    BadgeRule.QUIZZES_PASSED: ("Pass {n} quizzes", "Pass a quiz"),
    BadgeRule.PERFECT_QUIZZES: ("Score full marks on {n} quizzes", "Score full marks on a quiz"),
    BadgeRule.PATHS_COMPLETED: ("Finish {n} learning paths", "Finish a learning path"),
}


@dataclass(frozen=True)
class BadgeDefinition:
    code: str
    title: str
    description: str
    rule: BadgeRule
    threshold: int
    icon_url: str | None = None


def criteria(rule: str, threshold: int) -> str:
    """The rule in words, e.g. 'Study on 7 days in a row'."""
    many, one = WORDING[BadgeRule(rule)]
    return one.format(n=threshold) if threshold == 1 else many.format(n=threshold)


def earned(rule: str, threshold: int, stats: LearnerStats) -> bool:
    """Whether the stats meet the rule; an unknown rule is never met."""
    try:
        return FIGURE[BadgeRule(rule)](stats) >= threshold
    except ValueError:
        return False


def _icon(code: str) -> str:
    return f"/static/badges/{code}.svg"


CATALOGUE: tuple[BadgeDefinition, ...] = (
    BadgeDefinition(
        "streak_3",
        "Warming Up",
        "Three days of study in a row.",
        BadgeRule.STREAK_DAYS,
        3,
        _icon("streak_3"),
    ),
    BadgeDefinition(
        "streak_7",
        "Week Warrior",
        "A full week of study in a row.",
        BadgeRule.STREAK_DAYS,
        7,
        _icon("streak_7"),
    ),
    BadgeDefinition(
        "first_mastery",
        "First Mastery",
        "Mastered a first concept.",
        BadgeRule.CONCEPTS_MASTERED,
        1,
        _icon("first_mastery"),
    ),
    BadgeDefinition(
        "ten_mastered",
        "Ten Mastered",
        "Mastered ten concepts.",
        BadgeRule.CONCEPTS_MASTERED,
        10,
        _icon("ten_mastered"),
    ),
    BadgeDefinition(
        "perfect_quiz",
        "Perfect Score",
        "Full marks on a quiz.",
        BadgeRule.PERFECT_QUIZZES,
        1,
        _icon("perfect_quiz"),
    ),
    BadgeDefinition(
        "path_finisher",
        "Path Finisher",
        "Finished a learning path.",
        BadgeRule.PATHS_COMPLETED,
        1,
        _icon("path_finisher"),
    ),
)
