"""Read-side Cypher over concepts, each batched over many start nodes with one UNWIND.

Every walk starts from a node matched on its unique `id`, and every variable-length pattern
has a literal upper bound taken from settings (Cypher cannot take it as a parameter).
A key whose start node is not in the graph (not synced yet) is absent from the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.learning_order import ChainNode
from domain.relations import RELATION_TYPES as RELATION_KIND_TYPES
from persistence.graph.records import RelationRecord

if TYPE_CHECKING:
    from collections.abc import Sequence

    from persistence.graph.reading import GraphReader

__all__ = [
    "LINKS",
    "chain_nodes",
    "dependent_ids",
    "linked_ids",
    "prerequisite_ids",
    "relation_record",
    "relations_of",
]

DepthKey = tuple[str, int]

# field -> the one-hop pattern from (c) to (other); fixed text, never input
LINKS = {
    "related": "(c)-[:RELATED_TO]-(other:Concept)",
    "builds_upon": "(c)-[:BUILDS_UPON]->(other:Concept)",
}
RELATION_TYPES = "|".join(RELATION_KIND_TYPES)


def _walk_query(max_depth: int, *, towards_prerequisites: bool) -> str:
    # max_depth is an int from settings: a variable-length bound must be a literal in Cypher.
    hops = f"[:PREREQUISITE*1..{int(max_depth)}]"
    pattern = (
        f"(found:Concept)-{hops}->(start)"
        if towards_prerequisites
        else (f"(start)-{hops}->(found:Concept)")
    )
    return f"""
UNWIND $keys AS key
MATCH (start:Concept {{id: key.id}})
OPTIONAL MATCH path = {pattern}
WHERE length(path) <= key.depth AND found <> start
WITH key, found, min(length(path)) AS distance
ORDER BY distance, found.name
RETURN key.id AS id, key.depth AS depth,
       [f IN collect(found) WHERE f IS NOT NULL | f.id][..$cap] AS ids
"""


async def _walk(
    tx: GraphReader,
    keys: Sequence[DepthKey],
    *,
    max_depth: int,
    cap: int,
    towards_prerequisites: bool,
) -> dict[DepthKey, list[str]]:
    params: list[dict[str, Any]] = [{"id": cid, "depth": depth} for cid, depth in keys]
    query = _walk_query(max_depth, towards_prerequisites=towards_prerequisites)
    result = await tx.run(query, keys=params, cap=cap)
    return {(record["id"], record["depth"]): record["ids"] async for record in result}


async def prerequisite_ids(
    tx: GraphReader, keys: Sequence[DepthKey], *, max_depth: int, cap: int = 100
) -> dict[DepthKey, list[str]]:
    """For each (concept id, depth): transitive prerequisite ids, nearest first, no duplicates."""
    return await _walk(tx, keys, max_depth=max_depth, cap=cap, towards_prerequisites=True)


async def dependent_ids(
    tx: GraphReader, keys: Sequence[DepthKey], *, max_depth: int, cap: int
) -> dict[DepthKey, list[str]]:
    """For each (concept id, depth): concepts that need it, nearest first, no duplicates."""
    return await _walk(tx, keys, max_depth=max_depth, cap=cap, towards_prerequisites=False)


def _chain_query(max_depth: int) -> str:
    return f"""
UNWIND $ids AS id
MATCH (target:Concept {{id: id}})
OPTIONAL MATCH (pre:Concept)-[:PREREQUISITE*1..{int(max_depth)}]->(target)
WHERE pre <> target
WITH id, collect(DISTINCT pre) AS pres
UNWIND (CASE WHEN pres = [] THEN [null] ELSE pres END) AS pre
OPTIONAL MATCH (before:Concept)-[:PREREQUISITE]->(pre)
WHERE before IN pres
WITH id, pre, collect(before.id) AS needs
RETURN id, collect(CASE WHEN pre IS NULL THEN null
                   ELSE {{id: pre.id, name: pre.name, needs: needs}} END) AS nodes
"""


async def chain_nodes(
    tx: GraphReader, ids: Sequence[str], *, max_depth: int
) -> dict[str, list[ChainNode]]:
    """For each concept id: its transitive prerequisites with their links among themselves."""
    result = await tx.run(_chain_query(max_depth), ids=list(ids))
    return {
        record["id"]: [
            ChainNode(node["id"], node["name"] or "", frozenset(node["needs"]))
            for node in record["nodes"]
        ]
        async for record in result
    }


async def linked_ids(
    tx: GraphReader, ids: Sequence[str], *, link: str, cap: int
) -> dict[str, list[str]]:
    """For each concept id: the concepts one `link` away (see LINKS), by name."""
    query = f"""
UNWIND $ids AS id
MATCH (c:Concept {{id: id}})
OPTIONAL MATCH {LINKS[link]}
WITH DISTINCT id, other
ORDER BY other.name
RETURN id, collect(other.id)[..$cap] AS ids
"""
    result = await tx.run(query, ids=list(ids), cap=cap)
    return {record["id"]: record["ids"] async for record in result}


RELATIONS_QUERY = f"""
UNWIND $ids AS id
MATCH (c:Concept {{id: id}})
OPTIONAL MATCH (c)-[r:{RELATION_TYPES}]-(:Concept)
WITH id, r
ORDER BY type(r), r.id
RETURN id, collect(CASE WHEN r IS NULL THEN null ELSE {{
    id: r.id, kind: toLower(type(r)), strength: r.strength, reason: r.reason,
    source: startNode(r).id, target: endNode(r).id}} END)[..$cap] AS relations
"""


def relation_record(found: dict[str, Any]) -> RelationRecord:
    """A link as a Cypher map {id, kind, strength, reason, source, target} gives it."""
    strength = found["strength"]
    return RelationRecord(
        id=found["id"] or "",
        kind=found["kind"],
        strength=float(strength) if strength is not None else 1.0,
        reason=found["reason"],
        source_id=found["source"],
        target_id=found["target"],
    )


async def relations_of(
    tx: GraphReader, ids: Sequence[str], *, cap: int
) -> dict[str, list[RelationRecord]]:
    """For each concept id: every typed link that starts or ends at it, by kind."""
    result = await tx.run(RELATIONS_QUERY, ids=list(ids), cap=cap)
    return {
        record["id"]: [relation_record(found) for found in record["relations"]]
        async for record in result
    }
