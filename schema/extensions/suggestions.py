"""No "Did you mean ...?" in any error while suggestions are off.

graphql-core adds suggestions to many messages (unknown fields, arguments, types, enum values,
input fields of variables); strawberry's own switch covers only unknown fields. Suggestions
name parts of the schema, so with introspection off they would leak it bit by bit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["HideSuggestions", "without_suggestions"]

SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def without_suggestions(message: str) -> str:
    return SUGGESTION.sub("", message)


class HideSuggestions(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors or []) if result is not None else []:
            error.message = without_suggestions(error.message)
