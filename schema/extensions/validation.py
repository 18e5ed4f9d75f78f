"""Validation results kept per parsed document, found by the document's identity.

strawberry's ValidationCache keys its LRU cache by the document's value, so every request hashed
the whole syntax tree (graphql-core's nodes are frozen dataclasses that hash every field, 15-45
µs for the benchmarked reads). A repeated document is the very same object (ParserCache returns
it for the same text), so here it is found by its id, with the schema and the validation
rules: the same errors as validating it again, for the same document, schema and rules.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema

__all__ = ["validated", "validation_cache"]

Rules = tuple[type["ASTValidationRule"], ...]
Key = tuple[int, int, Rules]
# the schema and document are kept with their errors, so that their ids stay their own
_validated: OrderedDict[Key, tuple[GraphQLSchema, DocumentNode, list[GraphQLError]]] = OrderedDict()


def validated(
    schema: GraphQLSchema, document: DocumentNode, rules: Rules, *, maxsize: int
) -> list[GraphQLError]:
    """validate_document's errors, computed once per document, schema and rules (LRU)."""
    key = (id(schema), id(document), rules)
    kept = _validated.get(key)
    if kept is not None:
        _validated.move_to_end(key)
        return kept[2]
    errors = validate_document(schema, document, rules)
    _validated[key] = (schema, document, errors)
    while len(_validated) > maxsize:
        _validated.popitem(last=False)
    return errors


def validation_cache(maxsize: int) -> type[SchemaExtension]:
    """The extension class, keeping up to `maxsize` documents' results."""

    class DocumentValidationCache(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            if document is not None:
                rules = tuple(context.validation_rules)
                errors = validated(context.schema._schema, document, rules, maxsize=maxsize)
                context.pre_execution_errors = errors
            yield

    return DocumentValidationCache
