"""SQL subtrees whose whole selection PostgreSQL writes as the answer's JSON text.

When every field an object of a SQL subtree is asked for is a plain field of its entity,
`__typename`, or a relation into another such subtree, PostgreSQL can write the object
exactly as the answer holds it: keys are the response names in the executor's order
(fragments, inline fragments and @skip/@include collected by the same rules), values in the
format the API's JSON encoder writes the GraphQL value in. The field then answers an
`orjson.Fragment` of that text, which the executor passes through (schema/execution.py) and
the HTTP view's orjson encoder embeds: no parsing, no instances, no completion per field.

Anything else falls back to the instances (`pick_of`): a caller that does not encode with
orjson (the WebSocket, `schema.execute`; only the HTTP view sets `Context.sends_json_text`),
a field with a resolver, arguments or an extension (permissions are extensions), a directive
other than @skip/@include, a value whose format is not known here, a non-null field over a
nullable column, the same object selected under two response names on the way to it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_enum_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    is_scalar_type,
)
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from persistence.sql.reads.answers import (
    MAX_KEYS,
    Answer,
    Cursor,
    Edges,
    Followed,
    Format,
    Literal,
    Node,
    Written,
)
from persistence.sql.reads.shapes import Kind
from schema.sql_subtrees import pick_of
from schema.types.pagination import PREFIX

if TYPE_CHECKING:
    from collections.abc import Iterable

    from graphql import (
        BooleanValueNode,
        DirectiveNode,
        GraphQLOutputType,
        GraphQLResolveInfo,
        SelectionNode,
        SelectionSetNode,
    )

    from persistence.sql.reads.shapes import Column, Pick
    from schema.info import Info
    from schema.sql_subtrees import Subtree

__all__ = ["Collector", "answer_in", "answer_of", "fields_at", "page_read_of", "read_of"]

Groups = dict[str, list[FieldNode]]
SCALAR_FORMATS = {
    ("String", Kind.TEXT): Format.AS_IS,
    ("ID", Kind.TEXT): Format.AS_IS,
    ("ID", Kind.UUID): Format.AS_IS,
    ("Int", Kind.INT): Format.AS_IS,
    ("Boolean", Kind.BOOL): Format.AS_IS,
    ("Float", Kind.FLOAT): Format.FLOAT,
    ("Float", Kind.INT): Format.FLOAT,
    ("DateTime", Kind.TIMESTAMP): Format.TIMESTAMP,
}
LIST_ITEMS = {("String", Kind.TEXT_LIST)}
CACHED = 1024
_answers: dict[tuple[int, str, tuple[str, ...]], tuple[FieldNode, Answer | Edges | None]] = {}
_writers: dict[tuple[str, int], tuple[GraphQLObjectType, dict[str, Written | None]]] = {}


def read_of(subtree: Subtree, info: Info, *path: str) -> Pick | Answer:
    """What to read for the subtree's objects at `path` below the current field: the Answer
    PostgreSQL writes when this request may get one, else the Pick to build instances of."""
    if info.context.sends_json_text:
        answer = answer_of(subtree, info._raw_info, *path)
        if answer is not None:
            return answer
    return pick_of(subtree, info, *path)


def page_read_of(subtree: Subtree, info: Info, *path: str) -> Pick | Answer | Edges:
    """What to read for a page (a Connection, at `path` below the current field) of the
    subtree's objects: its Edges written whole when this request may get them, else the
    nodes' Answer, else the Pick."""
    if info.context.sends_json_text:
        edges = _cached(subtree, info._raw_info, (*path, "edges"), _edges_at)
        if isinstance(edges, Edges):
            return edges
    return read_of(subtree, info, *path, "edges", "node")


def answer_of(subtree: Subtree, info: GraphQLResolveInfo[Any], *path: str) -> Answer | None:
    """The Answer of the objects at `path` below this field, None where one cannot be written."""
    answer = _cached(subtree, info, path, _answer_at)
    return answer if isinstance(answer, Answer) else None


def _cached(
    subtree: Subtree, info: GraphQLResolveInfo[Any], path: tuple[str, ...], make: Any
) -> Answer | Edges | None:
    """`make`'s answer, made once per document (the field nodes of a cached document come
    again) unless a @skip/@include makes it depend on the variables."""
    node = info.field_nodes[0]
    key = (id(node), f"{subtree.type_name}:{make.__name__}", path)
    found = _answers.get(key)
    if found is not None and found[0] is node:
        return found[1]
    collector = Collector(info)
    answer: Answer | Edges | None = make(
        collector, subtree, info.return_type, info.field_nodes, path
    )
    if not collector.directed:
        if len(_answers) >= CACHED:
            _answers.clear()
        _answers[key] = (node, answer)
    return answer


def _edges_at(
    collector: Collector,
    subtree: Subtree,
    kind: GraphQLOutputType,
    nodes: list[FieldNode],
    path: tuple[str, ...],
) -> Edges | None:
    """The edges of a Connection written whole: cursor, node and __typename only."""
    found = fields_at(collector, kind, nodes, path)
    if found is None:
        return None
    edge_kind, edge_nodes = found
    groups = collector.groups(edge_kind, edge_nodes)
    if not groups:
        return None
    keys: list[Cursor | Node | Literal] = []
    for response_name, fields in groups.items():
        name = fields[0].name.value
        if name == "__typename":
            keys.append(Literal(response_name, edge_kind.name))
        elif name == "cursor":
            keys.append(Cursor(response_name, PREFIX))
        elif name == "node":
            node_kind = cast("GraphQLObjectType", get_named_type(edge_kind.fields[name].type))
            answer = answer_in(collector, subtree, node_kind, fields)
            if answer is None:
                return None
            keys.append(Node(response_name, answer))
        else:
            return None
    return Edges(tuple(keys))


def fields_at(
    collector: Collector, kind: GraphQLOutputType, nodes: list[FieldNode], path: tuple[str, ...]
) -> tuple[GraphQLObjectType, list[FieldNode]] | None:
    """The object type at `path` and its field nodes, when one response name reaches it."""
    for step in path:
        parent = get_named_type(kind)
        groups = collector.groups(parent, nodes) if is_object_type(parent) else None
        chosen = [fields for fields in (groups or {}).values() if fields[0].name.value == step]
        if len(chosen) != 1:  # absent, or two response names sharing one value
            return None
        nodes = chosen[0]
        kind = cast("GraphQLObjectType", parent).fields[step].type
    named = get_named_type(kind)
    return (named, nodes) if is_object_type(named) else None


def _answer_at(
    collector: Collector,
    subtree: Subtree,
    kind: GraphQLOutputType,
    nodes: list[FieldNode],
    path: tuple[str, ...],
) -> Answer | None:
    found = fields_at(collector, kind, nodes, path)
    return None if found is None else answer_in(collector, subtree, *found)


def answer_in(
    collector: Collector, subtree: Subtree, kind: GraphQLObjectType, nodes: list[FieldNode]
) -> Answer | None:
    groups = collector.groups(kind, nodes)
    if not groups or len(groups) > MAX_KEYS:
        return None
    writers = _writers_of(subtree, kind)
    keys: list[Written | Literal | Followed] = []
    for response_name, fields in groups.items():
        name = fields[0].name.value
        if any(field.arguments for field in fields):
            return None
        if name == "__typename":
            keys.append(Literal(response_name, kind.name))
        elif (written := writers.get(name)) is not None:
            keys.append(replace(written, key=response_name))
        elif name in subtree.nested:
            nested = subtree.nested[name]
            inner_kind = cast("GraphQLObjectType", get_named_type(kind.fields[name].type))
            inner = answer_in(collector, nested.subtree(), inner_kind, fields)
            if inner is None:
                return None
            keys.append(Followed(response_name, nested.relation, inner))
        else:
            return None
    return Answer(tuple(keys))


class Collector:
    """Collects fields as the executor does (CollectFields in the GraphQL spec)."""

    def __init__(self, info: GraphQLResolveInfo[Any]) -> None:
        self.info = info
        self.directed = False  # a @skip/@include was met: the answer depends on variables

    def groups(self, kind: GraphQLObjectType, nodes: Iterable[FieldNode]) -> Groups | None:
        """Response name -> its field nodes, in order; None for a directive not handled."""
        found: Groups = {}
        for node in nodes:
            if node.selection_set and not self._visit(kind, node.selection_set, found):
                return None
        return found

    def _visit(self, kind: GraphQLObjectType, selections: SelectionSetNode, found: Groups) -> bool:
        for selection in selections.selections:
            included = self._included(selection)
            if included is None:
                return False
            if not included:
                continue
            if isinstance(selection, FieldNode):
                name = selection.alias.value if selection.alias else selection.name.value
                found.setdefault(name, []).append(selection)
                continue
            inner = self._fragment(kind, selection)
            if inner is not None and not self._visit(kind, inner, found):
                return False
        return True

    def _fragment(
        self, kind: GraphQLObjectType, selection: SelectionNode
    ) -> SelectionSetNode | None:
        """The selections of a fragment that applies to the type, None when it does not."""
        if isinstance(selection, InlineFragmentNode):
            condition, selections = selection.type_condition, selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = self.info.fragments[selection.name.value]
            condition, selections = fragment.type_condition, fragment.selection_set
        else:
            return None
        if condition is None or condition.name.value == kind.name:
            return selections
        named = self.info.schema.get_type(condition.name.value)
        applies = is_abstract_type(named) and self.info.schema.is_sub_type(named, kind)
        return selections if applies else None

    def _included(self, selection: SelectionNode) -> bool | None:
        """Whether @skip/@include let the selection in; None for any other directive."""
        included = True
        for directive in selection.directives or ():
            name = directive.name.value
            if name not in {"skip", "include"}:
                return None
            self.directed = True
            if self._condition(directive) is (name == "skip"):
                included = False
        return included

    def _condition(self, directive: DirectiveNode) -> bool:
        """The value of a @skip/@include's `if` (a Boolean! literal or variable, as validated)."""
        [argument] = directive.arguments or ()
        value = argument.value
        if isinstance(value, VariableNode):
            given: Any = self.info.variable_values  # graphql-core: coerced, or a dict of them
            variables: dict[str, Any] = getattr(given, "coerced", given)
            return bool(variables[value.name.value])
        return bool(cast("BooleanValueNode", value).value)


def _writers_of(subtree: Subtree, kind: GraphQLObjectType) -> dict[str, Written | None]:
    """GraphQL field name -> how its column is written (key left empty), None where it cannot
    be; for the subtree's plain fields without extensions."""
    key = (subtree.type_name, id(kind))
    found = _writers.get(key)
    if found is not None and found[0] is kind:
        return found[1]
    definition = get_object_definition(subtree.cls, strict=True)
    writers: dict[str, Written | None] = {}
    for field in definition.fields:
        name = field.graphql_name or to_camel_case(field.python_name)
        column = subtree.entity.columns.get(field.python_name)
        if field.base_resolver is None and column is not None and name in kind.fields:
            plain = not field.extensions and not field.directives
            written = _written(kind.fields[name].type, column) if plain else None
            writers[name] = None if written is None else replace(written, column=field.python_name)
    _writers[key] = (kind, writers)
    return writers


def _written(kind: GraphQLOutputType, column: Column) -> Written | None:
    """How a column is written as a value of this GraphQL type, None where it is not known."""
    if is_non_null_type(kind):
        if column.nullable:
            return None  # a null would be an error for the instances, not a null here
        kind = kind.of_type
    if is_list_type(kind):
        item: Any = kind.of_type
        item = item.of_type if is_non_null_type(item) else item
        known = is_scalar_type(item) and (item.name, column.kind) in LIST_ITEMS
        return Written("", "", Format.AS_IS) if known else None
    if is_enum_type(kind) and column.kind is Kind.TEXT:
        values = kind.values.items()
        labels = tuple((value.value, label) for label, value in values)
        if all(isinstance(stored, str) for stored, _ in labels):
            return Written("", "", Format.LABEL, labels)
        return None
    scalar: Any = kind
    chosen = SCALAR_FORMATS.get((scalar.name, column.kind)) if is_scalar_type(kind) else None
    return None if chosen is None else Written("", "", chosen)
