"""Names the running mutation in the context, so the audit log says which one wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

if TYPE_CHECKING:
    from strawberry.types.base import StrawberryObjectDefinition

    from schema.info import Info

__all__ = ["NameTheOperation", "audit_mutations"]


class NameTheOperation(FieldExtension):
    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        info.context.operation = info.field_name
        return await next_(source, info, **kwargs)


def audit_mutations(mutation: type) -> type:
    """Adds NameTheOperation to every root mutation field."""
    definition: StrawberryObjectDefinition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if isinstance(field, StrawberryField):
            field.extensions.append(NameTheOperation())
    return mutation
