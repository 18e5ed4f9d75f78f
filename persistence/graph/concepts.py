"""Read-side Cypher over concepts: prerequisite walks, batched over many start concepts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

__all__ = ["prerequisite_ids"]


def _prerequisites_query(max_depth: int) -> str:
    # max_depth is an int from settings: a variable-length bound must be a literal in Cypher.
    return f"""
UNWIND $keys AS key
MATCH (target:Concept {{id: key.id}})
OPTIONAL MATCH path = (pre:Concept)-[:PREREQUISITE*1..{int(max_depth)}]->(target)
WHERE length(path) <= key.depth
WITH key, pre, min(length(path)) AS distance
ORDER BY distance, pre.name
RETURN key.id AS id, key.depth AS depth, [p IN collect(pre) WHERE p IS NOT NULL | p.id] AS ids
"""


async def prerequisite_ids(
    tx: AsyncManagedTransaction, keys: Sequence[tuple[str, int]], *, max_depth: int
) -> dict[tuple[str, int], list[str]]:
    """For each (concept id, depth): transitive prerequisite ids, nearest first, no duplicates."""
    params: list[dict[str, Any]] = [{"id": cid, "depth": depth} for cid, depth in keys]
    result = await tx.run(_prerequisites_query(max_depth), keys=params)
    return {(record["id"], record["depth"]): record["ids"] async for record in result}
