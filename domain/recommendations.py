"""What to learn next: scoring concepts whose prerequisites a learner has completed.

A candidate is a concept the learner has not completed and whose prerequisites (if any) the
learner has all completed. Concepts unlocked by completed prerequisites always rank above
concepts without prerequisites; a concept at the learner's preferred difficulty gets a bonus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "DIFFICULTY_BONUS",
    "NO_PREREQUISITES_SCORE",
    "Candidate",
    "Prerequisite",
    "Recommendation",
    "rank",
    "recommend",
]

UNLOCKED_BASE = 1.0
NO_PREREQUISITES_SCORE = 0.25
DIFFICULTY_BONUS = 0.5
MATCHES_DIFFICULTY = "Matches your preferred difficulty"


@dataclass(frozen=True)
class Prerequisite:
    """A completed prerequisite of a candidate and how strongly it leads there (0..1)."""

    name: str
    strength: float


@dataclass(frozen=True)
class Candidate:
    concept_id: str
    name: str
    difficulty: str | None
    prerequisites: tuple[Prerequisite, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    concept_id: str
    name: str
    score: float
    reason: str


def _prerequisite_score(prerequisites: tuple[Prerequisite, ...]) -> float:
    if not prerequisites:
        return NO_PREREQUISITES_SCORE
    return UNLOCKED_BASE + sum(p.strength for p in prerequisites) / len(prerequisites)


def _prerequisite_reason(prerequisites: tuple[Prerequisite, ...]) -> str:
    names = ", ".join(sorted(p.name for p in prerequisites))
    if not prerequisites:
        return "No prerequisites"
    if len(prerequisites) == 1:
        return f"Prerequisite completed: {names}"
    return f"All {len(prerequisites)} prerequisites completed: {names}"


def recommend(candidate: Candidate, preferred_difficulty: str | None) -> Recommendation:
    """The candidate's score (mean strength of its prerequisites, plus bonuses) and why."""
    matches = preferred_difficulty is not None and candidate.difficulty == preferred_difficulty
    score = _prerequisite_score(candidate.prerequisites) + (DIFFICULTY_BONUS if matches else 0.0)
    reasons = [_prerequisite_reason(candidate.prerequisites)]
    if matches:
        reasons.append(MATCHES_DIFFICULTY)
    return Recommendation(candidate.concept_id, candidate.name, round(score, 6), ". ".join(reasons))


def rank(
    candidates: Iterable[Candidate], preferred_difficulty: str | None, *, limit: int
) -> list[Recommendation]:
    """The best `limit` recommendations, best first; equal scores in name order."""
    scored = [recommend(candidate, preferred_difficulty) for candidate in candidates]
    scored.sort(key=lambda found: (-found.score, found.name, found.concept_id))
    return scored[: max(limit, 0)]
