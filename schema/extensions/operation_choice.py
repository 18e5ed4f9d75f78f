"""A document of several operations runs only the one `operationName` names.

The GraphQL spec makes a request error of a document with several operations and no
operationName; strawberry would run the first of them instead (it reads the first operation's
name when none was given), so a client's mistake ran an operation it never chose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from schema.extensions.request_errors import OPERATION_RESOLUTION_FAILURE

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["OperationChosen"]


class OperationChosen(SchemaExtension):
    """Adds its refusal as validation begins (after the validation cache gave its errors):
    strawberry reads a request's validation errors before the hooks' ends run."""

    def on_validate(self) -> Iterator[None]:
        self._refuse_an_unchosen_operation()
        yield

    def _refuse_an_unchosen_operation(self) -> None:
        context = self.execution_context
        document = context.graphql_document
        # strawberry keeps the name the request gave only here; `operation_name` falls back
        # to the first operation's
        given = getattr(context, "_provided_operation_name", None)
        if document is None or given is not None:
            return
        count = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
        if count > 1:
            refusal = GraphQLError(
                f"the document holds {count} operations: name the one to run in operationName",
                extensions={"code": OPERATION_RESOLUTION_FAILURE},
            )
            context.pre_execution_errors = [*(context.pre_execution_errors or ()), refusal]
