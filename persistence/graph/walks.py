"""Read-side Cypher over learning paths and around concepts: contents, neighbourhoods, routes.

Walks start from a node matched on its unique `id`; variable-length patterns carry a literal
upper bound from settings; every list is cut at a cap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.graph.concepts import RELATION_TYPES, relation_record
from persistence.graph.records import (
    ItemRecord,
    NeighborhoodRecord,
    PathOrderRecord,
    SharedRecord,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from persistence.graph.reading import GraphReader

__all__ = [
    "neighborhood",
    "path_ids_of_concepts",
    "path_orders",
    "prerequisite_route",
    "shared_concepts",
]

PATHS_OF_CONCEPTS = """
UNWIND $ids AS id
MATCH (c:Concept {id: id})
OPTIONAL MATCH (p:LearningPath)-[:CONTAINS]->(c)
WITH id, p
ORDER BY p.title
RETURN id, collect(p.id)[..$cap] AS ids
"""

PATH_ORDERS = """
UNWIND $ids AS id
MATCH (p:LearningPath {id: id})
WHERE p.version IS NOT NULL
OPTIONAL MATCH (p)-[r:CONTAINS]->(c:Concept)
WITH id, p, r, c
ORDER BY r.order_index
RETURN id, p.version AS version,
       collect(CASE WHEN c IS NULL THEN null ELSE {
           concept_id: c.id, order_index: r.order_index, is_required: r.is_required} END
       )[..$cap] AS items
"""

SHARED = """
MATCH (p:LearningPath)-[:CONTAINS]->(c:Concept)
WITH c, p
ORDER BY p.title
WITH c, collect(p.id) AS paths
WHERE size(paths) >= $min_paths
RETURN c.id AS id, paths
ORDER BY size(paths) DESC, c.name
LIMIT $cap
"""


async def path_ids_of_concepts(
    tx: GraphReader, ids: Sequence[str], *, cap: int
) -> dict[str, list[str]]:
    """For each concept id: the learning paths that contain it, by title."""
    result = await tx.run(PATHS_OF_CONCEPTS, ids=list(ids), cap=cap)
    return {record["id"]: record["ids"] async for record in result}


async def path_orders(
    tx: GraphReader, ids: Sequence[str], *, cap: int
) -> dict[str, PathOrderRecord]:
    """The paths the graph holds among ids: each with its version and concepts in order."""
    result = await tx.run(PATH_ORDERS, ids=list(ids), cap=cap)
    return {
        record["id"]: PathOrderRecord(
            int(record["version"]),
            [
                ItemRecord(item["concept_id"], int(item["order_index"]), bool(item["is_required"]))
                for item in record["items"]
            ],
        )
        async for record in result
    }


def _neighborhood_query(depth: int) -> str:
    return f"""
MATCH (center:Concept {{id: $id}})
OPTIONAL MATCH path = (center)-[:{RELATION_TYPES}*1..{int(depth)}]-(other:Concept)
WHERE other <> center
WITH center, other, min(length(path)) AS distance
ORDER BY distance, other.name
WITH center, [o IN collect(other) WHERE o IS NOT NULL][..$cap] AS others
WITH [center] + others AS nodes
UNWIND nodes AS a
OPTIONAL MATCH (a)-[r:{RELATION_TYPES}]->(b:Concept)
WHERE b IN nodes
WITH nodes, a, r, b
ORDER BY type(r), a.name, b.name
RETURN [n IN nodes | n.id] AS ids,
       collect(CASE WHEN r IS NULL THEN null ELSE {{
           id: r.id, kind: toLower(type(r)), strength: r.strength, reason: r.reason,
           source: a.id, target: b.id}} END) AS edges
"""


async def neighborhood(
    tx: GraphReader, concept_id: str, *, depth: int, cap: int
) -> NeighborhoodRecord | None:
    """Concepts within depth links of any kind (nearest first) and the links among them."""
    result = await tx.run(_neighborhood_query(depth), id=concept_id, cap=cap)
    record = await result.single()
    if record is None:
        return None
    return NeighborhoodRecord(record["ids"], [relation_record(edge) for edge in record["edges"]])


def _route_query(max_depth: int) -> str:
    return f"""
MATCH (source:Concept {{id: $source}}), (target:Concept {{id: $target}})
MATCH route = shortestPath((source)-[:PREREQUISITE*..{int(max_depth)}]->(target))
RETURN [n IN nodes(route) | n.id] AS ids
"""


async def prerequisite_route(
    tx: GraphReader, source_id: str, target_id: str, *, max_depth: int
) -> list[str]:
    """The shortest chain of PREREQUISITE links from source to target, or [] when none."""
    if source_id == target_id:
        return []
    result = await tx.run(_route_query(max_depth), source=source_id, target=target_id)
    record = await result.single()
    return list(record["ids"]) if record else []


async def shared_concepts(tx: GraphReader, *, min_paths: int, cap: int) -> list[SharedRecord]:
    """Concepts in at least min_paths learning paths, most shared first, then by name."""
    result = await tx.run(SHARED, min_paths=min_paths, cap=cap)
    return [SharedRecord(record["id"], record["paths"]) async for record in result]
