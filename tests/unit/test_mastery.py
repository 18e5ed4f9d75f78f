"""Skill mastery arithmetic, without IO."""

from __future__ import annotations

import pytest

from domain.mastery import (
    MasteryCategory,
    MasteryState,
    Trend,
    assess,
    blend,
    category_of,
    trend_between,
)


def test_the_first_assessment_is_taken_as_it_is_and_is_stable() -> None:
    state = assess(None, 0.5, 0.8)
    assert state == MasteryState(0.5, 0.8, Trend.STABLE, MasteryCategory.DEVELOPING, 1)


def test_a_later_assessment_moves_the_average_towards_the_new_value() -> None:
    first = assess(None, 0.5, 0.8)
    second = assess(first, 1.0, 0.9)
    assert second.current_mastery == pytest.approx(0.85)
    assert second.confidence == 0.9
    assert second.trend is Trend.IMPROVING
    assert second.category is MasteryCategory.PROFICIENT
    assert second.num_assessments == 2


def test_a_lower_assessment_is_a_declining_trend() -> None:
    second = assess(assess(None, 0.9, 1.0), 0.0, 1.0)
    assert second.trend is Trend.DECLINING
    assert second.category is MasteryCategory.NOVICE


@pytest.mark.parametrize(
    ("previous", "current", "trend"),
    [
        (0.5, 0.55, Trend.STABLE),
        (0.5, 0.45, Trend.STABLE),
        (0.5, 0.5, Trend.STABLE),
        (0.5, 0.551, Trend.IMPROVING),
        (0.5, 0.449, Trend.DECLINING),
    ],
)
def test_changes_within_the_band_are_stable(previous: float, current: float, trend: Trend) -> None:
    assert trend_between(previous, current) is trend


@pytest.mark.parametrize(
    ("mastery", "category"),
    [
        (0.0, MasteryCategory.NOVICE),
        (0.399, MasteryCategory.NOVICE),
        (0.4, MasteryCategory.DEVELOPING),
        (0.699, MasteryCategory.DEVELOPING),
        (0.7, MasteryCategory.PROFICIENT),
        (0.899, MasteryCategory.PROFICIENT),
        (0.9, MasteryCategory.MASTERED),
        (1.0, MasteryCategory.MASTERED),
    ],
)
def test_categories_follow_the_thresholds(mastery: float, category: MasteryCategory) -> None:
    assert category_of(mastery) is category


def test_the_blend_stays_within_zero_and_one() -> None:
    assert blend(1.0, 1.0) == 1.0
    assert blend(0.0, 0.0) == 0.0
    assert 0.0 <= blend(0.3, 0.9) <= 1.0
