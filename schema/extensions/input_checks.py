"""Every string and list an operation carries is checked before anything runs.

Both the document's literals and the variables' values are walked along their input types, so
that each value is known by the field it fills. A string with a NUL character or an unpaired
surrogate (neither can be stored or encoded), a string longer than its field's cap, or a list
with more items than its cap is a VALIDATION problem naming the field. A string over its cap is
refused from its length alone, never scanned.

A mutation whose payload has `errors` answers its problems there, as it does every expected
failure, without running; any other problem refuses the whole operation with GraphQL errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    type_from_ast,
    visit,
)
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from schema.extensions.input_limits import MAX_ID_LENGTH, max_items, max_length

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["InputChecks", "InputProblem", "input_problems"]

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a surrogate left in a str has no partner
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class InputProblem:
    """One bad input: where it is (argument, input fields, list indexes) and what is wrong.

    `payload` is the response key of the mutation whose payload answers it, if one does.
    """

    path: tuple[str, ...]
    wrong: str
    payload: str | None = None

    @property
    def field(self) -> str:
        """The field as mutation errors name it: `name`, `keyTerms[1]`, `chapters[0].name`."""
        parts = self.path[1:] if self.path[0] == "input" and len(self.path) > 1 else self.path
        shown = ""
        for part in parts:
            shown += f"[{part}]" if part.isdigit() else (f".{part}" if shown else part)
        return shown

    @property
    def message(self) -> str:
        return f"{self.field} {self.wrong}"

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": "VALIDATION", "field": self.field})


Path = tuple[str, ...]


def _field_name(path: Path) -> str:
    return next(part for part in reversed(path) if not part.isdigit())


def _string_problem(value: str, type_: Any, path: Path) -> str | None:
    limit = MAX_ID_LENGTH if type_ is GraphQLID else max_length(_field_name(path))
    if len(value) > limit:
        return f"must be at most {limit} characters"
    if UNSTORABLE.search(value):
        return "must not contain NUL characters or unpaired surrogates"
    return None


def _list_problem(size: int, path: Path) -> str | None:
    limit = max_items(_field_name(path))
    return f"takes at most {limit} items" if size > limit else None


def _value_problems(value: object, type_: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Problems of a variable's value (plain JSON) read as the given input type."""
    type_ = get_nullable_type(type_)
    if isinstance(value, str):
        if (wrong := _string_problem(value, type_, path)) is not None:
            yield path, wrong
    elif isinstance(value, list) and isinstance(type_, GraphQLList):
        if (wrong := _list_problem(len(value), path)) is not None:
            yield path, wrong
            return
        for index, item in enumerate(value):
            yield from _value_problems(item, type_.of_type, (*path, str(index)))
    elif isinstance(value, dict) and isinstance(type_, GraphQLInputObjectType):
        for name, item in value.items():
            field = type_.fields.get(name)
            yield from _value_problems(item, field.type if field else None, (*path, name))


def _literal_problems(
    node: ValueNode, type_: Any, path: Path, variables: Mapping[str, Any]
) -> Iterator[tuple[Path, str]]:
    """Problems of a literal in the document read as the given input type; a variable in it
    is checked where it is used, so that its value meets the cap of the field it fills."""
    type_ = get_nullable_type(type_) if type_ is not None else None
    if isinstance(node, VariableNode):
        if node.name.value in variables:
            yield from _value_problems(variables[node.name.value], type_, path)
    elif isinstance(node, StringValueNode):
        if (wrong := _string_problem(node.value, type_, path)) is not None:
            yield path, wrong
    elif isinstance(node, ListValueNode):
        if (wrong := _list_problem(len(node.values), path)) is not None:
            yield path, wrong
            return
        item_type = type_.of_type if isinstance(type_, GraphQLList) else type_
        for index, item in enumerate(node.values):
            yield from _literal_problems(item, item_type, (*path, str(index)), variables)
    elif isinstance(node, ObjectValueNode):
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for field_node in node.fields:
            name = field_node.name.value
            field = fields.get(name)
            field_type = field.type if field else None
            yield from _literal_problems(field_node.value, field_type, (*path, name), variables)


def _answers_in_payload(schema: GraphQLSchema, field_name: str) -> bool:
    """Whether the mutation's payload has `errors`, where expected failures go."""
    mutation = schema.mutation_type
    field = mutation.fields.get(field_name) if mutation is not None else None
    payload = get_named_type(field.type) if field is not None else None
    return isinstance(payload, GraphQLObjectType) and "errors" in payload.fields


class _Inputs(Visitor):
    """Walks every argument, and every variable's default, along its input type."""

    def __init__(
        self, schema: GraphQLSchema, type_info: TypeInfo, variables: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self.schema = schema
        self.type_info = type_info
        self.variables = variables
        self.problems: list[InputProblem] = []
        self.used: set[str] = set()

    def enter_variable(self, node: VariableNode, _key: object, parent: object, *_: object) -> None:
        if not isinstance(parent, VariableDefinitionNode):
            self.used.add(node.name.value)

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        if node.default_value is not None:
            type_ = self.type_info.get_input_type()
            path = (node.variable.name.value,)
            found = _literal_problems(node.default_value, type_, path, {})
            self.problems.extend(InputProblem(where, wrong) for where, wrong in found)

    def enter_argument(
        self, node: ArgumentNode, _key: object, parent: object, _path: object, ancestors: Any
    ) -> None:
        argument = self.type_info.get_argument()
        type_ = argument.type if argument is not None else None
        payload = self._payload_of([*ancestors, parent])
        found = _literal_problems(node.value, type_, (node.name.value,), self.variables)
        self.problems.extend(InputProblem(where, wrong, payload) for where, wrong in found)

    def _payload_of(self, ancestors: list[Any]) -> str | None:
        """The response key of the root mutation field these arguments belong to, if its
        payload answers expected failures."""
        operations = [n for n in ancestors if isinstance(n, OperationDefinitionNode)]
        fields = [n for n in ancestors if isinstance(n, FieldNode)]
        if not operations or operations[0].operation != OperationType.MUTATION or not fields:
            return None
        root = fields[0]
        if not _answers_in_payload(self.schema, root.name.value):
            return None
        return (root.alias or root.name).value

    def unused_variable_problems(self, document: DocumentNode) -> None:
        """A variable no argument uses is checked by its declared type alone."""
        for definition in document.definitions:
            for variable in getattr(definition, "variable_definitions", None) or ():
                name = variable.variable.name.value
                if name in self.variables and name not in self.used:
                    type_ = type_from_ast(self.schema, variable.type)
                    found = _value_problems(self.variables[name], type_, (name,))
                    self.problems.extend(InputProblem(where, wrong) for where, wrong in found)


def input_problems(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None
) -> list[InputProblem]:
    """Every string and list in the document's arguments and the variables they use."""
    type_info = TypeInfo(schema)
    inputs = _Inputs(schema, type_info, variables or {})
    visit(document, TypeInfoVisitor(type_info, inputs))
    inputs.unused_variable_problems(document)
    return inputs.problems[:MAX_PROBLEMS]


class InputChecks(SchemaExtension):
    """Checks an operation's inputs before any resolver runs.

    When every problem belongs to a mutation whose payload has `errors`, those mutations answer
    them there without running (context.input_problems, read by AnswerInPayload); else
    the whole operation is refused with GraphQL errors.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            problems = input_problems(context.schema._schema, document, context.variables)
            if problems and all(problem.payload for problem in problems):
                by_payload: dict[str, list[InputProblem]] = {}
                for problem in problems:
                    by_payload.setdefault(str(problem.payload), []).append(problem)
                context.context.input_problems = by_payload
            elif problems:
                errors = [problem.as_graphql_error() for problem in problems]
                context.result = ExecutionResult(data=None, errors=errors)
        yield
