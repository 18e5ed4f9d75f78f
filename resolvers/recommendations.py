"""A learner's "what next": scored concepts and learning paths, from the graph.

Candidates come from Neo4j (one query per request batch); preferences, concepts and paths from
SQL through the request's loaders. When the graph cannot be reached these fail alone, with
the GraphUnavailableError of resolvers/loaders/federated.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.recommendations import rank
from resolvers.concepts import concepts_by_ids
from resolvers.loaders.learning import paths_by_id
from resolvers.loaders.recommendations import (
    ConceptsWanted,
    concept_candidates_by_user,
    path_candidates_by_user,
)
from resolvers.loaders.users import accounts_by_user_id

if TYPE_CHECKING:
    from persistence.sql.models import Concept, LearningPath
    from resolvers.context import Context

__all__ = [
    "ConceptRecommendation",
    "PathRecommendation",
    "path_recommendations",
    "recommendations",
]


@dataclass(frozen=True)
class ConceptRecommendation:
    concept: Concept
    score: float
    reason: str


@dataclass(frozen=True)
class PathRecommendation:
    path: LearningPath
    shared_concepts: int


async def recommendations(
    context: Context, user_id: uuid.UUID, *, limit: int
) -> list[ConceptRecommendation]:
    """Concepts to learn next, best first: their prerequisites are all completed."""
    wanted = ConceptsWanted(user_id, limit)
    candidates = await context.loaders.of(concept_candidates_by_user).load(wanted)
    account = await context.loaders.of(accounts_by_user_id).load(user_id)
    preferences = account.preferences if account else None
    preferred = preferences.preferred_difficulty if preferences else None
    best = rank(candidates, preferred, limit=limit)
    concepts = await concepts_by_ids(context, [uuid.UUID(found.concept_id) for found in best])
    by_id = {str(concept.id): concept for concept in concepts}
    return [
        ConceptRecommendation(by_id[found.concept_id], found.score, found.reason)
        for found in best
        if found.concept_id in by_id
    ]


async def path_recommendations(
    context: Context, user_id: uuid.UUID, *, limit: int
) -> list[PathRecommendation]:
    """Paths sharing concepts the learner completed, not enrolled in, most shared first."""
    candidates = await context.loaders.of(path_candidates_by_user).load(user_id)
    found = candidates[: max(limit, 0)]
    paths = await context.loaders.of(paths_by_id).load_many([uuid.UUID(p.path_id) for p in found])
    return [
        PathRecommendation(path, candidate.shared_concepts)
        for candidate, path in zip(found, paths, strict=True)
        if path is not None
    ]
