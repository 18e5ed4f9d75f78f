"""The executable schema with its extensions."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from config.settings import Settings
from schema.extensions.cost import cost_limit_rule
from schema.extensions.degraded import DegradedMode
from schema.extensions.masking import MaskUnexpectedErrors
from schema.extensions.query_stats import QueryStatsExtension
from schema.extensions.read_your_writes import ReadYourWrites
from schema.metrics import RequestMetrics
from schema.mutation import Mutation
from schema.query import Query

__all__ = ["build_schema"]


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema; without settings (SDL export) the default limits apply."""
    settings = settings or Settings.model_construct()  # SDL export: defaults only
    max_depth = settings.max_query_depth
    introspection = settings.introspection
    cost_rule = cost_limit_rule(limit=settings.max_query_cost, largest_page=settings.max_page_size)
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=5000),
        lambda: AddValidationRules([cost_rule]),
        MaskUnexpectedErrors,
        DegradedMode,
        ReadYourWrites,
        QueryStatsExtension,
        RequestMetrics,  # last, so that it sees errors before they are masked
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
