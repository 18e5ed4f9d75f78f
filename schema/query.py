"""The Query root, merged from each area's query type."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.areas.admin import AdminQuery
from schema.areas.concepts import ConceptQuery
from schema.areas.courses import CourseQuery
from schema.areas.graph import GraphQuery
from schema.areas.identity import IdentityQuery
from schema.areas.paths import PathQuery
from schema.areas.reconciliation import ReconciliationQuery
from schema.areas.study import BadgeQuery
from schema.areas.sync import SyncQuery

__all__ = ["Query"]

Query = merge_types(
    "Query",
    (
        CourseQuery,
        IdentityQuery,
        ConceptQuery,
        PathQuery,
        SyncQuery,
        GraphQuery,
        ReconciliationQuery,
        BadgeQuery,
        AdminQuery,
    ),
)
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Everything a client can read. Fields marked for admins or for the signed-in user answer null or empty (or with a FORBIDDEN error) for others."
)
