"""Request errors carry a code, as every other refusal does.

graphql-core's own refusals of a request (the document does not parse or validate, a variable's
value does not coerce to its type, the operation named is not in the document) come without
`extensions.code`, so a client could not tell them from a failure of the server. Each gets the
code GraphQL servers commonly use for it; a variable's refusal also names the variable (and the
place inside its value) in `extensions.field`. They are the client's mistakes: logged as such, never with a traceback.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from graphql import GraphQLError, VariableDefinitionNode
from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "BAD_USER_INPUT",
    "OPERATION_RESOLUTION_FAILURE",
    "PARSE_FAILED",
    "REQUEST_CODES",
    "VALIDATION_FAILED",
    "RequestErrorCodes",
    "code_request_errors",
    "is_request_error",
    "log_errors",
]

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
REQUEST_CODES = frozenset(
    (PARSE_FAILED, VALIDATION_FAILED, BAD_USER_INPUT, OPERATION_RESOLUTION_FAILURE)
)

INSIDE_VALUE = re.compile(r"has invalid value at ((?:\.\w+|\[\d+\])+):")  # print_path_list's

OUTAGE = "GRAPH_"  # GRAPH_UNAVAILABLE, GRAPH_TIMEOUT, GRAPH_ERROR: the service's, at WARNING

logger = logging.getLogger("learngraph.graphql")
strawberry_logger = logging.getLogger("strawberry.execution")


def _coded(error: GraphQLError) -> bool:
    return bool((error.extensions or {}).get("code"))


def _tag(error: GraphQLError, code: str, field: str | None = None) -> None:
    named = {"field": field} if field is not None else {}
    error.extensions = {**(error.extensions or {}), "code": code, **named}


def _variable_of(error: GraphQLError) -> str | None:
    """The variable a coercion error is about (graphql-core puts its definition first), with
    the place inside its value graphql-core's message names: `input.timeSpentSeconds`."""
    node = error.nodes[0] if error.nodes else None
    if not isinstance(node, VariableDefinitionNode):
        return None
    inside = INSIDE_VALUE.search(error.message)
    return node.variable.name.value + (inside.group(1) if inside else "")


def _tag_unrun(error: GraphQLError) -> None:
    """A document that parsed and validated but did not run: a variable or the operation."""
    variable = _variable_of(error)
    if variable is not None or error.message.startswith("Variable values"):
        _tag(error, BAD_USER_INPUT, variable)
    else:
        _tag(error, OPERATION_RESOLUTION_FAILURE)


def is_request_error(error: GraphQLError) -> bool:
    """Refused before anything ran, for what the request said: no path, no failure inside."""
    return error.path is None and (
        error.original_error is None or isinstance(error.original_error, GraphQLError)
    )


def code_request_errors(errors: Iterable[GraphQLError], *, parsed: bool) -> None:
    """Codes the request errors that have none: the parse's, or a variable's or the operation's
    (validation's got theirs from RequestErrorCodes as validation ended)."""
    for error in errors:
        if not is_request_error(error) or _coded(error):
            continue
        if parsed:
            _tag_unrun(error)
        else:
            _tag(error, PARSE_FAILED)


def log_errors(errors: Iterable[GraphQLError]) -> None:
    """A request's own mistakes and the product's expected failures (an error with a code: a
    bad cursor, a name that is not found) at INFO without a traceback, a graph outage answered
    to a field at WARNING; anything else, an unexpected failure, as strawberry logs it (ERROR,
    with its traceback)."""
    for error in errors:
        if is_request_error(error) or _coded(error):
            code = str((error.extensions or {}).get("code"))
            level = logging.WARNING if code.startswith(OUTAGE) else logging.INFO
            logger.log(level, "answered with an error: %s", error.message, extra={"code": code})
        else:
            strawberry_logger.error(error, exc_info=error.original_error)


class RequestErrorCodes(SchemaExtension):
    """Codes validation's errors as validation ends (strawberry hands every error of a request
    to Schema.process_errors, which codes the others with code_request_errors)."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if not _coded(error):
                _tag(error, VALIDATION_FAILED)
