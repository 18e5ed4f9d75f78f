"""Read-side Cypher for "what next": concept candidates and paths, batched over learners.

Progress counts as done when its HAS_PROGRESS edge has status completed or mastered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.progress import DONE
from domain.recommendations import Candidate, Prerequisite

if TYPE_CHECKING:
    from collections.abc import Sequence

    from persistence.graph.reading import GraphReader

__all__ = ["DONE_STATUSES", "PathCandidate", "concept_candidates", "path_candidates"]

DONE_STATUSES = [status.value for status in DONE]  # plain words for the driver

# Concepts not done whose every incoming PREREQUISITE starts at a done concept: for each
# difficulty, the first $per_difficulty in the order `domain.recommendations.rank` scores
# them (unlocked before free-standing, then by their prerequisites' mean strength, name, id).
# The preferred difficulty's bonus moves a whole difficulty up alike, so the best `limit` for
# any preference are among the best `limit` of each difficulty: a page of recommendations
# never needs more, whatever the size of the catalogue.
CONCEPT_CANDIDATES = """
UNWIND $user_ids AS user_id
OPTIONAL MATCH (:User {id: user_id})-[p:HAS_PROGRESS]->(done:Concept)
WHERE p.status IN $done
WITH user_id, collect(DISTINCT done.id) AS completed
MATCH (c:Concept)
WHERE NOT c.id IN completed
OPTIONAL MATCH (pre:Concept)-[r:PREREQUISITE]->(c)
WITH user_id, completed, c,
     collect(CASE WHEN pre IS NULL THEN NULL
             ELSE {id: pre.id, name: pre.name, strength: r.strength} END) AS prerequisites
WHERE all(pre IN prerequisites WHERE pre.id IN completed)
WITH user_id, c, prerequisites, size(prerequisites) > 0 AS unlocked,
     reduce(total = 0.0, pre IN prerequisites | total + coalesce(pre.strength, 0.0)) AS strength
ORDER BY unlocked DESC,
         CASE WHEN unlocked THEN strength / size(prerequisites) ELSE 0.0 END DESC,
         c.name, c.id
WITH user_id, c.difficulty AS difficulty,
     collect({id: c.id, name: c.name, difficulty: c.difficulty,
              prerequisites: prerequisites})[..$per_difficulty] AS best
WITH user_id, collect(best) AS groups
RETURN user_id, reduce(found = [], best IN groups | found + best) AS candidates
"""

# Paths holding concepts the learner has done, which the learner is not enrolled in.
PATH_CANDIDATES = """
UNWIND $user_ids AS user_id
MATCH (u:User {id: user_id})-[p:HAS_PROGRESS]->(c:Concept)<-[:CONTAINS]-(path:LearningPath)
WHERE p.status IN $done AND NOT (u)-[:ENROLLED_IN_PATH]->(path)
WITH user_id, path, count(DISTINCT c) AS shared
ORDER BY shared DESC, path.title, path.id
RETURN user_id, collect({id: path.id, shared: shared})[..$cap] AS paths
"""


@dataclass(frozen=True)
class PathCandidate:
    path_id: str
    shared_concepts: int


def _candidate(found: dict[str, Any]) -> Candidate:
    prerequisites = tuple(
        Prerequisite(name=pre["name"] or "", strength=float(pre["strength"] or 0.0))
        for pre in found["prerequisites"]
    )
    return Candidate(found["id"], found["name"] or "", found["difficulty"], prerequisites)


async def concept_candidates(
    tx: GraphReader, user_ids: Sequence[str], *, limit: int
) -> dict[str, list[Candidate]]:
    """For each user id: concepts the user may learn next (unscored), enough for `rank` to
    find the best `limit` whatever difficulty the user prefers."""
    result = await tx.run(
        CONCEPT_CANDIDATES,
        user_ids=list(user_ids),
        done=list(DONE_STATUSES),
        per_difficulty=max(limit, 0),
    )
    return {
        record["user_id"]: [_candidate(found) for found in record["candidates"]]
        async for record in result
    }


async def path_candidates(
    tx: GraphReader, user_ids: Sequence[str], *, cap: int
) -> dict[str, list[PathCandidate]]:
    """For each user id: paths sharing done concepts, not enrolled in, most shared first."""
    result = await tx.run(
        PATH_CANDIDATES, user_ids=list(user_ids), done=list(DONE_STATUSES), cap=cap
    )
    return {
        record["user_id"]: [PathCandidate(p["id"], int(p["shared"])) for p in record["paths"]]
        async for record in result
    }
