"""SQL answers to graph walks, for when Neo4j is unavailable (degraded mode).

Recursive CTEs over concept_relations with the same depth bounds as the Cypher walks, one
statement per batch of start concepts. Ids come back as strings, as the graph gives them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, text

from domain.learning_order import ChainNode
from domain.relations import RelationKind
from persistence.graph.records import RelationRecord
from persistence.sql.models import ConceptRelation, LearningPath, LearningPathItem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["sql_chain_nodes", "sql_linked_ids", "sql_path_ids", "sql_relations", "sql_walk"]

DepthKey = tuple[str, int]

# (column we stand on, column we step to); fixed text, never input
STEPS = {"prerequisites": ("target_id", "source_id"), "dependents": ("source_id", "target_id")}


def _walk_cte(direction: str) -> str:
    here, step = STEPS[direction]
    return f"""
walk(start, max_depth, id, depth) AS (
  SELECT k.start, k.max_depth, r.{step}, 1
  FROM unnest(CAST(:starts AS uuid[]), CAST(:depths AS int[])) AS k(start, max_depth)
  JOIN concept_relations r ON r.{here} = k.start AND r.kind = '{RelationKind.PREREQUISITE}'
  UNION
  SELECT w.start, w.max_depth, r.{step}, w.depth + 1
  FROM walk w JOIN concept_relations r ON r.{here} = w.id AND r.kind = '{RelationKind.PREREQUISITE}'
  WHERE w.depth < w.max_depth
)"""  # noqa: S608 - column names come from STEPS; values are parameters


def _walk_query(direction: str) -> str:
    return f"""
WITH RECURSIVE {_walk_cte(direction)}
SELECT w.start, w.max_depth, w.id, min(w.depth) AS distance, c.name
FROM walk w JOIN concepts c ON c.id = w.id
WHERE w.id <> w.start
GROUP BY w.start, w.max_depth, w.id, c.name
ORDER BY distance, c.name
"""  # noqa: S608 - fixed text; values are parameters


def _uuids(ids: Sequence[str]) -> list[uuid.UUID]:
    return [uuid.UUID(value) for value in ids]


async def sql_walk(
    session: AsyncSession, keys: Sequence[DepthKey], *, direction: str, max_depth: int, cap: int
) -> dict[DepthKey, list[str]]:
    """For each (concept id, depth): prerequisites or dependents (direction), nearest first."""
    depths = [min(depth, max_depth) for _, depth in keys]
    params = {"starts": _uuids([cid for cid, _ in keys]), "depths": depths}
    rows = await session.execute(text(_walk_query(direction)), params)
    found: dict[DepthKey, list[str]] = defaultdict(list)
    for start, depth, concept_id, _, _ in rows:
        found[(str(start), depth)].append(str(concept_id))
    return {key: found[(key[0], bounded)][:cap] for key, bounded in zip(keys, depths, strict=True)}


CHAIN_QUERY = f"""
WITH RECURSIVE {_walk_cte("prerequisites")},
chain AS (SELECT DISTINCT start, id FROM walk WHERE id <> start)
SELECT ch.start, ch.id, c.name,
       coalesce(array_agg(r.source_id) FILTER (WHERE r.source_id IS NOT NULL), '{{}}') AS needs
FROM chain ch JOIN concepts c ON c.id = ch.id
LEFT JOIN concept_relations r ON r.target_id = ch.id AND r.kind = '{RelationKind.PREREQUISITE}'
     AND EXISTS (SELECT 1 FROM chain m WHERE m.start = ch.start AND m.id = r.source_id)
GROUP BY ch.start, ch.id, c.name
"""  # noqa: S608 - fixed text; values are parameters


async def sql_chain_nodes(
    session: AsyncSession, ids: Sequence[str], *, max_depth: int
) -> dict[str, list[ChainNode]]:
    """For each concept id: its prerequisites within max_depth, with their links among them."""
    params = {"starts": _uuids(ids), "depths": [max_depth] * len(ids)}
    found: dict[str, list[ChainNode]] = {value: [] for value in ids}
    for start, concept_id, name, needs in await session.execute(text(CHAIN_QUERY), params):
        node = ChainNode(str(concept_id), name, frozenset(str(need) for need in needs))
        found[str(start)].append(node)
    return found


LINKED_QUERY = """
SELECT r.source_id AS start, c.id, c.name FROM concept_relations r
JOIN concepts c ON c.id = r.target_id
WHERE r.kind = :kind AND r.source_id = ANY(CAST(:ids AS uuid[]))
UNION
SELECT r.target_id AS start, c.id, c.name FROM concept_relations r
JOIN concepts c ON c.id = r.source_id
WHERE :both AND r.kind = :kind AND r.target_id = ANY(CAST(:ids AS uuid[]))
ORDER BY name
"""

# field -> (relation kind, whether links count in both directions), as persistence.graph LINKS
LINKS = {
    "related": (RelationKind.RELATED_TO, True),
    "builds_upon": (RelationKind.BUILDS_UPON, False),
}


async def sql_linked_ids(
    session: AsyncSession, ids: Sequence[str], *, link: str, cap: int
) -> dict[str, list[str]]:
    """For each concept id: the concepts one link of that kind away, by name."""
    kind, both = LINKS[link]
    params = {"ids": _uuids(ids), "kind": kind, "both": both}
    found: dict[str, list[str]] = {value: [] for value in ids}
    for start, concept_id, _ in await session.execute(text(LINKED_QUERY), params):
        found[str(start)].append(str(concept_id))
    return {key: value[:cap] for key, value in found.items()}


def _record(row: ConceptRelation) -> RelationRecord:
    return RelationRecord(
        str(row.id), row.kind, row.strength, row.reason, str(row.source_id), str(row.target_id)
    )


async def sql_relations(
    session: AsyncSession, ids: Sequence[str], *, cap: int
) -> dict[str, list[RelationRecord]]:
    """For each concept id: every link that starts or ends at it, by kind."""
    wanted = _uuids(ids)
    touching = or_(ConceptRelation.source_id.in_(wanted), ConceptRelation.target_id.in_(wanted))
    statement = select(ConceptRelation).where(touching)
    rows = await session.scalars(statement.order_by(ConceptRelation.kind, ConceptRelation.id))
    found: dict[str, list[RelationRecord]] = {value: [] for value in ids}
    for row in rows:
        for end in {str(row.source_id), str(row.target_id)} & found.keys():
            found[end].append(_record(row))
    return {key: value[:cap] for key, value in found.items()}


async def sql_path_ids(
    session: AsyncSession, ids: Sequence[str], *, cap: int
) -> dict[str, list[str]]:
    """For each concept id: the learning paths that contain it, by title."""
    statement = (
        select(LearningPathItem.concept_id, LearningPath.id)
        .join(LearningPath, LearningPath.id == LearningPathItem.path_id)
        .where(LearningPathItem.concept_id.in_(_uuids(ids)))
        .order_by(LearningPath.title)
    )
    found: dict[str, list[str]] = {value: [] for value in ids}
    for concept_id, path_id in await session.execute(statement):
        found[str(concept_id)].append(str(path_id))
    return {key: value[:cap] for key, value in found.items()}
