"""How many of each mirrored entity type PostgreSQL and Neo4j hold, side by side.

Both counts come from the mirror's reconciliation target: its SQL table, and the match of its
graph page (the same pattern reconciliation pages through), counted instead of paged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

if TYPE_CHECKING:
    from collections.abc import Sequence

    from neo4j import AsyncDriver, AsyncManagedTransaction
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from persistence.sync.targets import Target

__all__ = ["EntityCount", "count_graph", "count_sql", "graph_count_text"]


@dataclass(frozen=True)
class EntityCount:
    """One mirrored type; `neo4j` is None when the graph could not be counted."""

    entity_type: str
    postgresql: int
    neo4j: int | None

    @property
    def differs(self) -> bool:
        return self.neo4j is not None and self.neo4j != self.postgresql


def graph_count_text(target: Target) -> str:
    """The target's page pattern (`MATCH ... WHERE x.id > $after`), counted; $after = ''."""
    matched = target.graph_page(with_ids=False).split(" WITH ", 1)[0]
    return f"{matched} RETURN count(x) AS n"


async def count_sql(
    sessions: async_sessionmaker[AsyncSession], targets: Sequence[Target]
) -> dict[str, int]:
    """Rows per entity type in PostgreSQL (one count each, in one session)."""
    counts: dict[str, int] = {}
    async with sessions() as session:
        for target in targets:
            query = select(func.count()).select_from(target.model)
            counts[str(target.entity_type)] = (await session.scalar(query)) or 0
    return counts


async def _graph_counts(tx: AsyncManagedTransaction, queries: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entity_type, cypher in queries.items():
        record = await (await tx.run(cypher, after="")).single()
        counts[entity_type] = int(record["n"]) if record else 0
    return counts


async def count_graph(
    driver: AsyncDriver, targets: Sequence[Target], *, database: str
) -> dict[str, int]:
    """Nodes or relationships per entity type in Neo4j, in one read transaction."""
    queries = {str(target.entity_type): graph_count_text(target) for target in targets}
    async with driver.session(database=database) as session:
        return await session.execute_read(_graph_counts, queries)
