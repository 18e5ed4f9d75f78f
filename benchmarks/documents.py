"""The contract's operation documents, trimmed to the fields every compared server has.

The benchmarks send the frontend's operations as written. Fields that one of the servers does
not implement (the baselines leave out the graph-only extras: recommendations, the chain,
dependents, related, relations, paths of a concept) are dropped for all three, and named in the
results, so that the comparison stays like for like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import (
    REMOVE,
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    parse,
    print_ast,
    validate,
    visit,
)

__all__ = ["CONTRACT", "operation", "trimmed"]

CONTRACT = Path(__file__).resolve().parents[1] / "tests" / "contract" / "operations.graphql"


def operation(name: str) -> DocumentNode:
    document = parse(CONTRACT.read_text(encoding="utf-8"))
    found = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == name
    ]
    return DocumentNode(definitions=tuple(found))


class _DropUnknown(Visitor):
    def __init__(self, type_info: TypeInfo, dropped: list[str]) -> None:
        super().__init__()
        self._type_info = type_info
        self._dropped = dropped

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        if self._type_info.get_field_def() is None:
            self._dropped.append(node.name.value)
            return REMOVE
        return None


class _DropEmpty(Visitor):
    def __init__(self, dropped: list[str]) -> None:
        super().__init__()
        self._dropped = dropped

    def leave_field(self, node: FieldNode, *_: Any) -> Any:
        if node.selection_set is not None and not node.selection_set.selections:
            self._dropped.append(node.name.value)
            return REMOVE
        return None


def trimmed(document: DocumentNode, *schemas: GraphQLSchema) -> tuple[str, list[str]]:
    """The document without fields unknown to any of the schemas, and the names dropped."""
    dropped: list[str] = []
    for schema in schemas:
        type_info = TypeInfo(schema)
        document = visit(document, TypeInfoVisitor(type_info, _DropUnknown(type_info, dropped)))
        document = visit(document, _DropEmpty(dropped))
        errors = validate(schema, document)
        if errors:
            raise ValueError(f"benchmark document does not validate: {errors[0].message}")
    return print_ast(document), sorted(set(dropped))
