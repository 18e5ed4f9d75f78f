"""Scoring "what next" candidates, without IO."""

from __future__ import annotations

from domain.recommendations import (
    DIFFICULTY_BONUS,
    NO_PREREQUISITES_SCORE,
    Candidate,
    Prerequisite,
    rank,
    recommend,
)


def unlocked(name: str, *strengths: float, difficulty: str = "beginner") -> Candidate:
    prerequisites = tuple(Prerequisite(f"{name}_pre_{i}", s) for i, s in enumerate(strengths))
    return Candidate(f"id-{name}", name, difficulty, prerequisites)


def free(name: str, difficulty: str = "beginner") -> Candidate:
    return Candidate(f"id-{name}", name, difficulty)


def test_an_unlocked_concept_scores_one_plus_the_mean_strength_of_its_prerequisites() -> None:
    assert recommend(unlocked("trees", 1.0, 0.5), "expert").score == 1.75


def test_a_concept_without_prerequisites_scores_the_low_base() -> None:
    assert recommend(free("sets"), "expert").score == NO_PREREQUISITES_SCORE


def test_the_preferred_difficulty_adds_a_bonus_and_says_so() -> None:
    # given a candidate at the learner's preferred difficulty
    found = recommend(unlocked("trees", 1.0, difficulty="advanced"), "advanced")
    # then it gets the bonus and the reason names it
    assert found.score == 2.0 + DIFFICULTY_BONUS
    assert found.reason == "Prerequisite completed: trees_pre_0. Matches your preferred difficulty"


def test_the_reason_names_every_completed_prerequisite_in_name_order() -> None:
    candidate = Candidate(
        "id-sort", "sorting", "beginner", (Prerequisite("recursion", 1), Prerequisite("arrays", 1))
    )
    assert recommend(candidate, None).reason == ("All 2 prerequisites completed: arrays, recursion")


def test_a_concept_without_prerequisites_says_so() -> None:
    assert recommend(free("sets"), None).reason == "No prerequisites"


def test_no_preference_gives_no_bonus() -> None:
    assert recommend(free("sets"), None).score == NO_PREREQUISITES_SCORE


def test_unlocked_concepts_outrank_free_ones_even_with_the_difficulty_bonus() -> None:
    # given a weakly unlocked concept and a free one at the preferred difficulty
    weak = unlocked("graphs", 0.0, difficulty="expert")
    bonus = free("sets", difficulty="beginner")
    # when ranked for a beginner
    ranked = rank([bonus, weak], "beginner", limit=10)
    # then the unlocked concept still comes first
    assert [found.name for found in ranked] == ["graphs", "sets"]


def test_ranking_is_best_first_then_by_name_and_capped() -> None:
    candidates = [unlocked("b", 0.5), unlocked("a", 0.5), unlocked("c", 1.0), free("d")]
    ranked = rank(candidates, None, limit=3)
    assert [(found.name, found.score) for found in ranked] == [
        ("c", 2.0),
        ("a", 1.5),
        ("b", 1.5),
    ]


def test_a_non_positive_limit_ranks_nothing() -> None:
    assert rank([free("a")], None, limit=0) == []
