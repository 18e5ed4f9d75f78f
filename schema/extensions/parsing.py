"""Documents parsed once per text, and a document that does not parse reported, never raised.

strawberry's ParserCache parses in its `on_parse` hook, where a syntax error escapes the
operation: over HTTP it still became a request error, but over the WebSocket the subscription
just completed, with no error message, and its extensions (the operation log, the metrics)
never saw it. Here a document that does not parse is left unparsed, so strawberry parses it
again inside its own error handling, which reports the error as every transport expects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError
from strawberry.extensions import ParserCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    from strawberry.types import ExecutionContext

__all__ = ["UNPARSED", "CachedParse", "operation_kind"]

UNPARSED = "unparsed"  # the operation type of a document that did not parse


def operation_kind(context: ExecutionContext) -> str:
    """query, mutation or subscription; `unparsed` for a document that did not parse."""
    if context.graphql_document is None:
        return UNPARSED
    return context.operation_type.value


class CachedParse(ParserCache):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:  # parsed again by strawberry, which reports it
            context.graphql_document = None
        yield
