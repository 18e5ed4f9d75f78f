"""The executable schema with its extensions."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from config.settings import Settings
from schema.extensions.degraded import DegradedMode
from schema.extensions.masking import MaskUnexpectedErrors
from schema.extensions.query_stats import QueryStatsExtension
from schema.extensions.read_your_writes import ReadYourWrites
from schema.metrics import RequestMetrics
from schema.mutation import Mutation
from schema.query import Query

__all__ = ["build_schema"]

DEFAULT_MAX_DEPTH: int = Settings.model_fields["max_query_depth"].default


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema; without settings (SDL export) the default limits apply."""
    max_depth = settings.max_query_depth if settings else DEFAULT_MAX_DEPTH
    introspection = settings.introspection if settings else True
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=5000),
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
