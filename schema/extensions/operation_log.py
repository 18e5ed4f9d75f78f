"""Binds the caller's user id and the operation's name to the logs, and logs each operation.

A request refused before it runs (parse, validation, limits) is logged without a name.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import structlog
from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["OperationLog"]

logger = logging.getLogger("learngraph.graphql")


def _error_codes(errors: Sequence[object]) -> list[str]:
    codes = []
    for error in errors:
        extensions = getattr(error, "extensions", None) or {}
        codes.append(str(extensions.get("code", "INTERNAL")))
    return codes


class OperationLog(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        principal = getattr(self.execution_context.context, "principal", None)
        user_id = str(principal.user_id) if principal is not None else None
        structlog.contextvars.bind_contextvars(user_id=user_id)
        yield
        result = self.execution_context.result
        errors = list(result.errors or []) if result is not None else []
        logger.info("graphql operation", extra={"errors": _error_codes(errors)})

    def on_execute(self) -> Iterator[None]:
        name = self.execution_context.operation_name or "anonymous"
        kind = self.execution_context.operation_type.value
        structlog.contextvars.bind_contextvars(operation=name, operation_type=kind)
        yield
