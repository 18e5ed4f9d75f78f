"""The Query root, merged from each area's query type."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.areas.concepts import ConceptQuery

__all__ = ["Query"]

Query = merge_types("Query", (ConceptQuery,))
