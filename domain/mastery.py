"""Skill mastery arithmetic: blending assessments, their trend and the mastery category."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "NEW_WEIGHT",
    "TREND_BAND",
    "MasteryCategory",
    "MasteryState",
    "Trend",
    "assess",
    "blend",
    "category_of",
    "trend_between",
]

NEW_WEIGHT = 0.7
TREND_BAND = 0.05
_EPSILON = 1e-9


class Trend(enum.StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    DECLINING = "declining"


class MasteryCategory(enum.StrEnum):
    NOVICE = "novice"
    DEVELOPING = "developing"
    PROFICIENT = "proficient"
    MASTERED = "mastered"


@dataclass(frozen=True)
class MasteryState:
    """What skill_mastery stores for one learner and skill."""

    current_mastery: float
    confidence: float
    trend: Trend
    category: MasteryCategory
    num_assessments: int


def blend(previous: float, observed: float, *, weight: float = NEW_WEIGHT) -> float:
    """An exponential moving average: the new observation counts for `weight`."""
    mixed = weight * observed + (1 - weight) * previous
    return min(1.0, max(0.0, round(mixed, 6)))


def trend_between(previous: float, current: float, *, band: float = TREND_BAND) -> Trend:
    """Improving or declining when the change leaves the ±band, stable inside it."""
    change = current - previous
    if change > band + _EPSILON:
        return Trend.IMPROVING
    if change < -band - _EPSILON:
        return Trend.DECLINING
    return Trend.STABLE


def category_of(mastery: float) -> MasteryCategory:
    if mastery < 0.4:
        return MasteryCategory.NOVICE
    if mastery < 0.7:
        return MasteryCategory.DEVELOPING
    if mastery < 0.9:
        return MasteryCategory.PROFICIENT
    return MasteryCategory.MASTERED


def assess(previous: MasteryState | None, observed: float, confidence: float) -> MasteryState:
    """The state after one more assessment; the first one is taken as it is."""
    if previous is None:
        return MasteryState(observed, confidence, Trend.STABLE, category_of(observed), 1)
    current = blend(previous.current_mastery, observed)
    return MasteryState(
        current_mastery=current,
        confidence=confidence,
        trend=trend_between(previous.current_mastery, current),
        category=category_of(current),
        num_assessments=previous.num_assessments + 1,
    )
