"""A span per GraphQL operation, named after it, when tracing is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opentelemetry.trace import Status, StatusCode
from strawberry.extensions import SchemaExtension

from config.tracing import tracer, tracing_active
from schema.extensions.parsing import operation_kind

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["OperationSpan"]


class OperationSpan(SchemaExtension):
    """`graphql.mutation CreateConcept`: parse, validation and execution happen inside it, so
    SQL, Cypher and DataLoader spans hang below it."""

    def on_operation(self) -> Iterator[None]:
        if not tracing_active():
            yield
            return
        with tracer(__name__).start_as_current_span("graphql.operation") as span:
            yield
            context = self.execution_context
            name = context.operation_name or "anonymous"
            kind = operation_kind(context)
            span.update_name(f"graphql.{kind} {name}")
            span.set_attribute("graphql.operation.name", name)
            span.set_attribute("graphql.operation.type", kind)
            errors = context.result.errors if context.result is not None else None
            if errors:
                span.set_attribute("graphql.errors", len(errors))
                span.set_status(Status(StatusCode.ERROR, errors[0].message[:200]))
