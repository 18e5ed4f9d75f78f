"""Every string and list an operation carries is checked before anything runs.

Both the document's literals and the variables' values are walked along their input types, so
that each value is known by the field it fills. A string with a NUL character or an unpaired
surrogate (neither can be stored or encoded), a string longer than its field's cap, or a list
with more items than its cap refuses the whole operation with VALIDATION errors naming the
field. A string over its cap is refused from its length alone, never scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_nullable_type,
    type_from_ast,
    visit,
)
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from schema.extensions.input_limits import MAX_ID_LENGTH, max_items, max_length

__all__ = ["InputChecks", "input_problems"]

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a surrogate left in a str has no partner
MAX_PROBLEMS = 20


def _problem(path: list[str], message: str) -> GraphQLError:
    field = ".".join(path)
    return GraphQLError(f"{field} {message}", extensions={"code": "VALIDATION", "field": field})


def _field_name(path: list[str]) -> str:
    return next(part for part in reversed(path) if not part.isdigit())


def _string_problem(value: str, type_: Any, path: list[str]) -> GraphQLError | None:
    limit = MAX_ID_LENGTH if type_ is GraphQLID else max_length(_field_name(path))
    if len(value) > limit:
        return _problem(path, f"must be at most {limit} characters")
    if UNSTORABLE.search(value):
        return _problem(path, "must not contain NUL characters or unpaired surrogates")
    return None


def _list_problem(size: int, path: list[str]) -> GraphQLError | None:
    limit = max_items(_field_name(path))
    return _problem(path, f"takes at most {limit} items") if size > limit else None


def _value_problems(value: object, type_: Any, path: list[str]) -> Iterator[GraphQLError]:
    """Problems of a variable's value (plain JSON) read as the given input type."""
    type_ = get_nullable_type(type_)
    if isinstance(value, str):
        if (found := _string_problem(value, type_, path)) is not None:
            yield found
    elif isinstance(value, list) and isinstance(type_, GraphQLList):
        if (found := _list_problem(len(value), path)) is not None:
            yield found
            return
        for index, item in enumerate(value):
            yield from _value_problems(item, type_.of_type, [*path, str(index)])
    elif isinstance(value, dict) and isinstance(type_, GraphQLInputObjectType):
        for name, item in value.items():
            field = type_.fields.get(name)
            yield from _value_problems(item, field.type if field else None, [*path, name])


def _literal_problems(
    node: ValueNode, type_: Any, path: list[str], variables: Mapping[str, Any]
) -> Iterator[GraphQLError]:
    """Problems of a literal in the document read as the given input type; a variable in it
    is checked where it is used, so that its value meets the cap of the field it fills."""
    type_ = get_nullable_type(type_) if type_ is not None else None
    if isinstance(node, VariableNode):
        if node.name.value in variables:
            yield from _value_problems(variables[node.name.value], type_, path)
    elif isinstance(node, StringValueNode):
        if (found := _string_problem(node.value, type_, path)) is not None:
            yield found
    elif isinstance(node, ListValueNode):
        if (found := _list_problem(len(node.values), path)) is not None:
            yield found
            return
        item_type = type_.of_type if isinstance(type_, GraphQLList) else type_
        for index, item in enumerate(node.values):
            yield from _literal_problems(item, item_type, [*path, str(index)], variables)
    elif isinstance(node, ObjectValueNode):
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for field_node in node.fields:
            name = field_node.name.value
            field = fields.get(name)
            field_type = field.type if field else None
            yield from _literal_problems(field_node.value, field_type, [*path, name], variables)


class _Inputs(Visitor):
    """Walks every argument, and every variable's default, along its input type."""

    def __init__(self, type_info: TypeInfo, variables: Mapping[str, Any]) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables = variables
        self.problems: list[GraphQLError] = []
        self.used: set[str] = set()

    def enter_variable(self, node: VariableNode, _key: object, parent: object, *_: object) -> None:
        if not isinstance(parent, VariableDefinitionNode):
            self.used.add(node.name.value)

    def unused_variable_problems(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        """A variable no argument uses is checked by its declared type alone."""
        for definition in document.definitions:
            for variable in getattr(definition, "variable_definitions", None) or ():
                name = variable.variable.name.value
                if name in self.variables and name not in self.used:
                    type_ = type_from_ast(schema, variable.type)
                    self.problems.extend(_value_problems(self.variables[name], type_, [name]))

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        if node.default_value is not None:
            type_ = self.type_info.get_input_type()
            path = [node.variable.name.value]
            self.problems.extend(_literal_problems(node.default_value, type_, path, {}))

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        argument = self.type_info.get_argument()
        type_ = argument.type if argument is not None else None
        path = [node.name.value]
        self.problems.extend(_literal_problems(node.value, type_, path, self.variables))


def input_problems(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None
) -> list[GraphQLError]:
    """Every string and list in the document's arguments and the variables they use."""
    type_info = TypeInfo(schema)
    inputs = _Inputs(type_info, variables or {})
    visit(document, TypeInfoVisitor(type_info, inputs))
    inputs.unused_variable_problems(schema, document)
    return inputs.problems[:MAX_PROBLEMS]


class InputChecks(SchemaExtension):
    """Refuses an operation whose inputs break the checks, before any resolver runs."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            problems = input_problems(context.schema._schema, document, context.variables)
            if problems:
                context.result = ExecutionResult(data=None, errors=problems)
        yield
