"""Batch loads of recommendation candidates from Neo4j: one Cypher query per request batch.

SQL cannot answer these, so when the graph cannot they raise a GraphReadError, a typed field
error that leaves the rest of the response intact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from persistence.graph.recommendations import PathCandidate, concept_candidates, path_candidates
from resolvers.loaders.federated import graph_read

if TYPE_CHECKING:
    import uuid
    from collections.abc import Awaitable, Callable, Sequence

    from domain.recommendations import Candidate
    from resolvers.resources import ApiResources

__all__ = ["CANDIDATE_CAP", "concept_candidates_by_user", "path_candidates_by_user"]

# Scoring happens after the query, so it reads more candidates than a page shows.
CANDIDATE_CAP = 500
T = TypeVar("T")


async def _per_user(
    resources: ApiResources,
    work: Callable[..., Awaitable[dict[str, list[T]]]],
    keys: Sequence[uuid.UUID],
    **kwargs: Any,
) -> list[list[T]]:
    found = await graph_read(resources, work, [str(key) for key in keys], **kwargs)
    return [found.get(str(key), []) for key in keys]


async def concept_candidates_by_user(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[list[Candidate]]:
    """Concepts each learner may learn next (their prerequisites all done), unscored."""
    return await _per_user(resources, concept_candidates, keys, cap=CANDIDATE_CAP)


async def path_candidates_by_user(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[list[PathCandidate]]:
    """Paths sharing concepts each learner has done, not yet enrolled in, most shared first."""
    cap = resources.settings.max_page_size
    return await _per_user(resources, path_candidates, keys, cap=cap)
