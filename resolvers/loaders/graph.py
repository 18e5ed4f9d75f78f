"""Batch loads from Neo4j: one Cypher query per field across every parent in the request."""

from __future__ import annotations

from persistence.graph.concepts import prerequisite_ids
from persistence.graph.reading import read_graph
from resolvers.resources import ApiResources

__all__ = ["prerequisites"]


async def prerequisites(resources: ApiResources, keys: list[tuple[str, int]]) -> list[list[str]]:
    settings = resources.settings
    found = await read_graph(
        resources.driver,
        prerequisite_ids,
        keys,
        max_depth=settings.max_traversal_depth,
        database=settings.neo4j_database,
        timeout_seconds=settings.neo4j_transaction_timeout_seconds,
    )
    return [found.get(key, []) for key in keys]
