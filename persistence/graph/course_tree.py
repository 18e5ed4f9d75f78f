"""Read-side Cypher over a course's structure: the ordered children of many parents at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from persistence.graph.reading import GraphReader

__all__ = ["Level", "child_ids"]


@dataclass(frozen=True)
class Level:
    """(:parent)-[:rel]->(:child), children ordered by `order` then id (all fixed names)."""

    parent: str
    rel: str
    child: str
    order: str

    def text(self) -> str:
        # Labels, types and the order property come from the fixed levels in the loaders,
        # never from input; a parent counts only once the graph holds its SQL version.
        return f"""
UNWIND $keys AS key
OPTIONAL MATCH (p:{self.parent} {{id: key.id}})
WHERE p.version >= key.version
OPTIONAL MATCH (p)-[:{self.rel}]->(c:{self.child})
WITH key, p, c ORDER BY c.{self.order}, c.id
WITH key, p, [x IN collect(c) WHERE x IS NOT NULL | x.id] AS ids
WHERE p IS NOT NULL
RETURN key.id AS id, key.version AS version, ids[..$cap] AS ids
"""


async def child_ids(
    tx: GraphReader, keys: Sequence[tuple[str, int]], *, level: Level, cap: int
) -> dict[tuple[str, int], list[str]]:
    """For each (parent id, version) the graph holds: its children's ids in order."""
    params = [{"id": parent_id, "version": version} for parent_id, version in keys]
    result = await tx.run(level.text(), keys=params, cap=cap)
    return {(record["id"], record["version"]): record["ids"] async for record in result}
