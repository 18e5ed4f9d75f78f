"""An operation's graph reads that fall due together share one Neo4j transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.extensions import SchemaExtension

from resolvers.loaders.graph_together import graph_reads_together

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["GraphReadsTogether"]


class GraphReadsTogether(SchemaExtension):
    """Opens the operation's batch of graph reads (resolvers/loaders/graph_together.py)."""

    async def on_operation(self) -> AsyncIterator[None]:
        with graph_reads_together() as together:
            yield
            await together.finished()  # a read whose callers were cancelled ends here too
