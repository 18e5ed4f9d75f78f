"""Achievement rules: what a learner must have done to earn each one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["RULES", "AchievementRule", "LearnerStats", "earned_codes", "rule_for"]


@dataclass(frozen=True)
class LearnerStats:
    """The figures the rules look at, for one learner."""

    completed_concepts: int
    mastered_concepts: int
    passed_quizzes: int
    streak_days: int
    perfect_quizzes: int = 0
    completed_paths: int = 0


@dataclass(frozen=True)
class AchievementRule:
    code: str
    title: str
    description: str
    earned: Callable[[LearnerStats], bool]


RULES: tuple[AchievementRule, ...] = (
    AchievementRule(
        "first_concept_completed",
        "First Steps",
        "Completed a first concept.",
        lambda s: s.completed_concepts >= 1,
    ),
    AchievementRule(
        "five_concepts_completed",
        "High Five",
        "Completed five concepts.",
        lambda s: s.completed_concepts >= 5,
    ),
    AchievementRule(
        "first_concept_mastered",
        "Mastermind",
        "Mastered a first concept.",
        lambda s: s.mastered_concepts >= 1,
    ),
    AchievementRule(
        "first_quiz_passed",
        "Quiz Whiz",
        "Passed a first quiz.",
        lambda s: s.passed_quizzes >= 1,
    ),
    AchievementRule(
        "three_day_streak",
        "On a Roll",
        "Learned on three days in a row.",
        lambda s: s.streak_days >= 3,
    ),
)

_BY_CODE = {rule.code: rule for rule in RULES}


def earned_codes(stats: LearnerStats) -> list[str]:
    """Codes of every achievement the stats qualify for, in rule order."""
    return [rule.code for rule in RULES if rule.earned(stats)]


def rule_for(code: str) -> AchievementRule:
    return _BY_CODE[code]
