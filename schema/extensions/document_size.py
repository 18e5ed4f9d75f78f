"""A document longer than the cap is refused before the parser reads it.

The parser reads a document character by character: a megabyte of string literal costs it
about half a second, whatever later checks would say about that literal. Large texts belong in
variables, which are checked by their length alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["document_too_long", "max_document_length"]


def document_too_long(limit: int) -> GraphQLError:
    return GraphQLError(
        f"the document is longer than {limit} characters: send long texts as variables",
        extensions={"code": "VALIDATION", "field": "query"},
    )


def max_document_length(limit: int) -> Callable[[], SchemaExtension]:
    class MaxDocumentLength(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            query = self.execution_context.query
            if query is not None and len(query) > limit:
                raise document_too_long(limit)
            yield

    return MaxDocumentLength
