"""`extensions.degraded` in a response whose graph fields SQL answered because Neo4j was down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from schema.info import Info

__all__ = ["DegradedMode", "field_path"]


def field_path(info: Info) -> str:
    """The response path of a field without list indexes, e.g. "concept.related"."""
    return ".".join(str(part) for part in info.path.as_list() if not isinstance(part, int))


class DegradedMode(SchemaExtension):
    """Reports {"graph": "unavailable", "fields": [...]} when resolvers fell back to SQL."""

    def get_results(self) -> dict[str, Any]:
        fields = getattr(self.execution_context.context, "degraded_fields", None)
        if not fields:
            return {}
        return {"degraded": {"graph": "unavailable", "fields": sorted(fields)}}
