"""`extensions.queryStats`: how many SQL statements and Cypher queries an operation issued."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from persistence.stats import QueryStats, counting

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["QueryStatsExtension"]


class QueryStatsExtension(SchemaExtension):
    """Counts while the operation runs when settings.query_stats is on; silent otherwise."""

    stats: QueryStats | None = None

    def _enabled(self) -> bool:
        settings = getattr(self.execution_context.context, "settings", None)
        return bool(settings is not None and settings.query_stats)

    def on_operation(self) -> Iterator[None]:
        if not self._enabled():
            yield
            return
        with counting() as stats:
            self.stats = stats
            yield

    def get_results(self) -> dict[str, Any]:
        return {"queryStats": self.stats.as_dict()} if self.stats is not None else {}
