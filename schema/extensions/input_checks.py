"""Every string and list an operation carries is checked before anything runs.

Both the document's literals and the variables' values are walked along their input types, so
that each value is known by the field it fills. A string with a NUL character or an unpaired
surrogate (neither can be stored or encoded), a string longer than its field's cap, or a list
with more items than its cap is a VALIDATION problem naming the field. A string over its cap is
refused from its length alone, never scanned.

What the document alone decides (its literals' problems, which variable fills which field) is
found once per document (`input_plan`); each request then checks only its variables' values.

A mutation whose payload has `errors` answers its problems there, as it does every expected
failure, without running; any other problem refuses the whole operation with GraphQL errors.
"""

from __future__ import annotations

import itertools
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

from schema.extensions.input_limits import MAX_ID_LENGTH, distinct_items, max_items, max_length

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["InputChecks", "InputPlan", "InputProblem", "input_plan", "input_problems"]

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a surrogate left in a str has no partner
MAX_PROBLEMS = 20
CACHED_PLANS = 256
_plans: dict[tuple[int, int], tuple[GraphQLSchema, DocumentNode, InputPlan]] = {}


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


def _repeated(items: Sequence[object], path: Path) -> Iterator[tuple[Path, str]]:
    """The items of a list that is a set which repeat an earlier one (strings and numbers)."""
    if not distinct_items(_field_name(path)):
        return
    first: dict[object, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            continue
        if item in first:
            earlier = InputProblem((*path, str(first[item])), "").field
            yield (*path, str(index)), f"repeats {earlier}"
        else:
            first[item] = index


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
        yield from _repeated(value, path)
    elif isinstance(value, dict) and isinstance(type_, GraphQLInputObjectType):
        for name, item in value.items():
            field = type_.fields.get(name)
            yield from _value_problems(item, field.type if field else None, (*path, name))


@dataclass(frozen=True)
class _Use:
    """A variable's value, checked as `type_` where the document uses it (at `path`)."""

    name: str
    type_: Any
    path: Path
    payload: str | None = None


def _literal_checks(node: ValueNode, type_: Any, path: Path) -> Iterator[tuple[Path, str] | _Use]:
    """Problems of a literal in the document read as the given input type, and the variables
    in it: each is checked where it is used, so that its value meets the cap of the field it
    fills."""
    type_ = get_nullable_type(type_) if type_ is not None else None
    if isinstance(node, VariableNode):
        yield _Use(node.name.value, type_, path)
    elif isinstance(node, StringValueNode):
        if (wrong := _string_problem(node.value, type_, path)) is not None:
            yield path, wrong
    elif isinstance(node, ListValueNode):
        if (wrong := _list_problem(len(node.values), path)) is not None:
            yield path, wrong
            return
        item_type = type_.of_type if isinstance(type_, GraphQLList) else type_
        for index, item in enumerate(node.values):
            yield from _literal_checks(item, item_type, (*path, str(index)))
        constants = [
            item.value if isinstance(item, StringValueNode) else item for item in node.values
        ]
        yield from _repeated(constants, path)
    elif isinstance(node, ObjectValueNode):
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for field_node in node.fields:
            name = field_node.name.value
            field = fields.get(name)
            field_type = field.type if field else None
            yield from _literal_checks(field_node.value, field_type, (*path, name))


def _answers_in_payload(schema: GraphQLSchema, field_name: str) -> bool:
    """Whether the mutation's payload has `errors`, where expected failures go."""
    mutation = schema.mutation_type
    field = mutation.fields.get(field_name) if mutation is not None else None
    payload = get_named_type(field.type) if field is not None else None
    return isinstance(payload, GraphQLObjectType) and "errors" in payload.fields


@dataclass(frozen=True)
class InputPlan:
    """What a document's inputs need checked, found once per document: the problems of its
    literals (and defaults), and where each variable's value is to be checked, in document
    order; `unused` are the variables no argument uses, with their declared types."""

    checks: tuple[InputProblem | _Use, ...]
    unused: tuple[tuple[str, Any], ...]

    def problems(self, variables: Mapping[str, Any]) -> list[InputProblem]:
        """Every problem of the document with these variables' values (at most MAX_PROBLEMS)."""
        return list(itertools.islice(self._problems(variables), MAX_PROBLEMS))

    def _problems(self, variables: Mapping[str, Any]) -> Iterator[InputProblem]:
        for check in self.checks:
            if isinstance(check, InputProblem):
                yield check
            elif check.name in variables:
                found = _value_problems(variables[check.name], check.type_, check.path)
                yield from (InputProblem(where, wrong, check.payload) for where, wrong in found)
        for name, type_ in self.unused:
            if name in variables:
                found = _value_problems(variables[name], type_, (name,))
                yield from (InputProblem(where, wrong) for where, wrong in found)


class _Inputs(Visitor):
    """Walks every argument, and every variable's default, along its input type."""

    def __init__(self, schema: GraphQLSchema, type_info: TypeInfo) -> None:
        super().__init__()
        self.schema = schema
        self.type_info = type_info
        self.checks: list[InputProblem | _Use] = []
        self.used: set[str] = set()

    def enter_variable(self, node: VariableNode, _key: object, parent: object, *_: object) -> None:
        if not isinstance(parent, VariableDefinitionNode):
            self.used.add(node.name.value)

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        if node.default_value is not None:
            type_ = self.type_info.get_input_type()
            path = (node.variable.name.value,)
            for found in _literal_checks(node.default_value, type_, path):
                if not isinstance(found, _Use):  # a default is constant: it has no variable
                    self.checks.append(InputProblem(*found))

    def enter_argument(
        self, node: ArgumentNode, _key: object, parent: object, _path: object, ancestors: Any
    ) -> None:
        argument = self.type_info.get_argument()
        type_ = argument.type if argument is not None else None
        payload = self._payload_of([*ancestors, parent])
        for found in _literal_checks(node.value, type_, (node.name.value,)):
            if isinstance(found, _Use):
                self.checks.append(_Use(found.name, found.type_, found.path, payload))
            else:
                self.checks.append(InputProblem(*found, payload))

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

    def unused(self, document: DocumentNode) -> tuple[tuple[str, Any], ...]:
        """The declared variables no argument uses, each with its declared type."""
        found = []
        for definition in document.definitions:
            for variable in getattr(definition, "variable_definitions", None) or ():
                name = variable.variable.name.value
                if name not in self.used:
                    found.append((name, type_from_ast(self.schema, variable.type)))
        return tuple(found)


def input_plan(schema: GraphQLSchema, document: DocumentNode) -> InputPlan:
    """The document's InputPlan, made once per document (ParserCache brings the same
    document object again for the same text) and schema; at most CACHED_PLANS are kept."""
    key = (id(schema), id(document))
    found = _plans.get(key)
    if found is not None and found[0] is schema and found[1] is document:
        return found[2]
    type_info = TypeInfo(schema)
    inputs = _Inputs(schema, type_info)
    visit(document, TypeInfoVisitor(type_info, inputs))
    plan = InputPlan(tuple(inputs.checks), inputs.unused(document))
    if len(_plans) >= CACHED_PLANS:
        _plans.clear()
    _plans[key] = (schema, document, plan)  # both kept, so that their ids stay their own
    return plan


def input_problems(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None
) -> list[InputProblem]:
    """Every string and list in the document's arguments and the variables they use."""
    return input_plan(schema, document).problems(variables or {})


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
