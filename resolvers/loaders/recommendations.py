"""Batch loads of recommendation candidates from Neo4j: one Cypher query per request batch.

SQL cannot answer these, so when the graph cannot they raise a GraphReadError, a typed field
error that leaves the rest of the response intact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from persistence.graph.recommendations import PathCandidate, concept_candidates, path_candidates
from resolvers.loaders.federated import graph_read

if TYPE_CHECKING:
    import uuid
    from collections.abc import Awaitable, Callable, Sequence

    from domain.recommendations import Candidate
    from resolvers.resources import ApiResources

__all__ = ["ConceptsWanted", "concept_candidates_by_user", "path_candidates_by_user"]

T = TypeVar("T")


@dataclass(frozen=True)
class ConceptsWanted:
    """A learner's concept candidates, enough to rank the best `limit` of them."""

    user_id: uuid.UUID
    limit: int


async def _per_user(
    resources: ApiResources,
    work: Callable[..., Awaitable[dict[str, list[T]]]],
    keys: Sequence[uuid.UUID],
    **kwargs: Any,
) -> list[list[T]]:
    found = await graph_read(resources, work, [str(key) for key in keys], **kwargs)
    return [found.get(str(key), []) for key in keys]


async def concept_candidates_by_user(
    resources: ApiResources, keys: list[ConceptsWanted]
) -> list[list[Candidate]]:
    """Concepts each learner may learn next (their prerequisites all done), unscored: one
    query per distinct limit (a page size; in practice one)."""
    by_limit: dict[int, list[ConceptsWanted]] = defaultdict(list)
    for key in keys:
        by_limit[key.limit].append(key)
    found: dict[ConceptsWanted, list[Candidate]] = {}
    for limit, wanted in by_limit.items():
        users = [key.user_id for key in wanted]
        read = await _per_user(resources, concept_candidates, users, limit=limit)
        found.update(zip(wanted, read, strict=True))
    return [found[key] for key in keys]


async def path_candidates_by_user(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[list[PathCandidate]]:
    """Paths sharing concepts each learner has done, not yet enrolled in, most shared first."""
    cap = resources.settings.max_page_size
    return await _per_user(resources, path_candidates, keys, cap=cap)
