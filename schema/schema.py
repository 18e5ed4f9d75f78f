"""The executable schema with its extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from schema.execution import JsonTextExecutor
from schema.extensions.cost import cost_limit_rule
from schema.extensions.degraded import DegradedMode
from schema.extensions.document_size import max_document_length
from schema.extensions.graph_together import GraphReadsTogether
from schema.extensions.hooks import ClassHooksRunner
from schema.extensions.input_checks import InputChecks
from schema.extensions.masking import MaskUnexpectedErrors
from schema.extensions.operation_choice import OperationChosen
from schema.extensions.operation_log import OperationLog
from schema.extensions.parsing import CachedParse
from schema.extensions.query_stats import QueryStatsExtension
from schema.extensions.read_your_writes import ReadYourWrites
from schema.extensions.request_errors import (
    RequestErrorCodes,
    code_request_errors,
    log_errors,
)
from schema.extensions.suggestions import HideSuggestions
from schema.extensions.tracing import OperationSpan
from schema.extensions.validation import validation_cache
from schema.metrics import RequestMetrics
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALAR_OVERRIDES
from schema.subscription import Subscription

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql import GraphQLError
    from strawberry.extensions.runner import SchemaExtensionsRunner
    from strawberry.types import ExecutionContext

__all__ = ["LearngraphSchema", "build_schema"]


MAX_ALIASES = 30
MAX_TOKENS = 5000
MAX_DOCUMENT_LENGTH = 100_000
CACHED_DOCUMENTS = 256


class LearngraphSchema(strawberry.Schema):
    """strawberry's schema, running its extensions' hooks as found once per extension class."""

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return ClassHooksRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Request errors get their codes; a request's own mistakes are logged without a
        traceback (request_errors.py)."""
        parsed = execution_context is not None and execution_context.graphql_document is not None
        code_request_errors(errors, parsed=parsed)
        log_errors(errors)


def _limit_rules(settings: Settings) -> list[Any]:
    """The depth, alias and cost rules, built once per schema.

    QueryDepthLimiter and MaxAliasesLimiter make a new rule class per instance: built per
    request, every request's rules would differ and the validation cache would never hit.
    """
    return [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
        cost_limit_rule(limit=settings.max_query_cost, largest_page=settings.max_page_size),
    ]


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema; without settings (SDL export) the default limits apply.

    A repeated document skips parsing (CachedParse, keyed by its text and the token limit)
    and validation (validation_cache, keyed by the parsed document and the rules, limits
    included); a new document is parsed and validated with every limit.
    """
    settings = settings or Settings.model_construct()  # SDL export: defaults only
    rules = _limit_rules(settings)
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        OperationSpan,  # first, so that parsing, validation and execution happen inside it
        lambda: AddValidationRules(rules),
        max_document_length(MAX_DOCUMENT_LENGTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedParse(maxsize=CACHED_DOCUMENTS),
        validation_cache(CACHED_DOCUMENTS),
        OperationChosen,
        InputChecks,
        MaskUnexpectedErrors,
        DegradedMode,
        ReadYourWrites,
        QueryStatsExtension,
        GraphReadsTogether,
        OperationLog,
        RequestMetrics,  # next to last, so that it sees errors before they are masked
        RequestErrorCodes,  # last, so that every other extension sees the codes
    ]
    if settings.introspection is False:
        extensions.append(DisableIntrospection)
    if settings.suggestions is False:
        extensions.append(HideSuggestions)
    return LearngraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(
            auto_camel_case=True, disable_field_suggestions=settings.suggestions is False
        ),
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=JsonTextExecutor,
    )
