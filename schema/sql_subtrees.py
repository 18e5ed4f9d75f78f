"""GraphQL subtrees that PostgreSQL answers as one JSON value (persistence.sql.reads).

A `Subtree` ties an object type to an entity: its plain fields (no resolver) that are the
entity's attributes, and fields that follow one of its relations into another subtree.
`pick_of` looks ahead at a field's selection and says what to read (`Pick`); `built` makes the type's
instances from the JSON read, without running their constructors, so that graphql-core
completes every picked field by plain attribute access (no task, no DataLoader future).
A followed relation is kept on the instance under `Nested.attribute`, which that field's
resolver answers from; fields outside the pick (graph walks, other loaders) resolve as ever
from the instance's `identity` attributes, which every pick holds.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from persistence.sql.reads.entities import CONCEPT, ENROLLMENT, PATH, PROGRESS
from persistence.sql.reads.shapes import Entity, Pick, merged

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from schema.info import Info

__all__ = [
    "CONCEPT_SUBTREE",
    "ENROLLMENT_SUBTREE",
    "PATH_SUBTREE",
    "PROGRESS_SUBTREE",
    "Nested",
    "Subtree",
    "built",
    "pick_of",
    "selects_below",
]


CACHED_PICKS = 1024
_picks: dict[tuple[int, str, tuple[str, ...]], tuple[FieldNode, Pick]] = {}


@dataclass(frozen=True)
class Nested:
    """A field that follows `relation`; the built object is kept under `attribute`."""

    relation: str
    attribute: str
    subtree: Callable[[], Subtree]  # late-bound: subtrees refer to each other


@dataclass(frozen=True)
class Subtree:
    type_name: str  # the strawberry type's module:class, imported on first use
    entity: Entity
    identity: frozenset[str]
    nested: Mapping[str, Nested] = field(default_factory=dict)  # by GraphQL field name

    @functools.cached_property
    def cls(self) -> type[Any]:
        module, _, name = self.type_name.partition(":")
        loaded: type[Any] = getattr(importlib.import_module(module), name)
        return loaded

    @functools.cached_property
    def plain(self) -> dict[str, str]:
        """GraphQL name -> attribute of the fields the entity answers as they are."""
        definition = get_object_definition(self.cls, strict=True)
        return {
            f.graphql_name or to_camel_case(f.python_name): f.python_name
            for f in definition.fields
            if f.base_resolver is None and f.python_name in self.entity.attributes
        }


def _fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields of a selection set, those of its fragments included (directives aside: a
    field skipped by @skip or @include is read all the same, and not answered)."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from _fields(fragments[selection.name.value].selection_set, fragments)


def _under(
    nodes: Iterable[FieldNode], path: Sequence[str], fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """The field nodes at `path` below these (every alias and fragment of each step)."""
    for name in path:
        nodes = [
            inner
            for node in nodes
            for inner in _fields(node.selection_set, fragments)
            if inner.name.value == name
        ]
    return list(nodes)


def _pick(
    subtree: Subtree, nodes: Iterable[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> Pick:
    attributes = set(subtree.identity)
    relations: dict[str, Pick] = {}
    for node in nodes:
        for chosen in _fields(node.selection_set, fragments):
            name = chosen.name.value
            if name in subtree.plain:
                attributes.add(subtree.plain[name])
            elif name in subtree.nested:
                nested = subtree.nested[name]
                inner = _pick(nested.subtree(), [chosen], fragments)
                known = relations.get(nested.relation)
                relations[nested.relation] = merged(known, inner) if known else inner
    return Pick(frozenset(attributes), tuple(sorted(relations.items())))


def pick_of(subtree: Subtree, info: Info, *path: str) -> Pick:
    """What to read for the subtree's type at `path` below the current field (all its aliases
    and fragments), e.g. `pick_of(PROGRESS_SUBTREE, info, "edges", "node")` on a page.

    Made once per document: a cached document (ParserCache) brings the same field nodes
    again, and the pick depends on nothing else (not on variables).
    """
    raw = info._raw_info
    key = (id(raw.field_nodes[0]), subtree.type_name, path)
    found = _picks.get(key)
    if found is not None and found[0] is raw.field_nodes[0]:
        return found[1]
    nodes = _under(raw.field_nodes, path, raw.fragments)
    pick = _pick(subtree, nodes, raw.fragments)
    if len(_picks) >= CACHED_PICKS:
        _picks.clear()
    _picks[key] = (raw.field_nodes[0], pick)  # the node kept, so its id stays its own
    return pick


def selects_below(info: Info, *path: str) -> bool:
    """Whether the current field's selection reaches `path` (GraphQL names; every alias and
    fragment; @skip and @include not applied), from the document's own nodes."""
    raw = info._raw_info
    return bool(_under(raw.field_nodes, path, raw.fragments))


def built(subtree: Subtree, value: dict[str, Any] | str) -> Any:
    """An instance of the subtree's type holding the JSON read's values (see the module); for
    an Answer's text (schema/sql_answers.py), that text as a fragment of the answer."""
    if isinstance(value, str):
        return orjson.Fragment(value)
    value = dict(value)  # a value read once may be built twice (a concept in two paths)
    for nested in subtree.nested.values():
        if nested.relation in value:
            inner = value.pop(nested.relation)
            value[nested.attribute] = None if inner is None else built(nested.subtree(), inner)
    instance = object.__new__(subtree.cls)
    instance.__dict__.update(value)
    return instance


def _concept() -> Subtree:
    return CONCEPT_SUBTREE


def _progress() -> Subtree:
    return PROGRESS_SUBTREE


def _path() -> Subtree:
    return PATH_SUBTREE


def _enrollment() -> Subtree:
    return ENROLLMENT_SUBTREE


CONCEPT_SUBTREE = Subtree(
    "schema.types.concept:ConceptType",
    CONCEPT,
    identity=frozenset({"id"}),
    nested={"myProgress": Nested("my_progress", "known_progress", _progress)},
)
PROGRESS_SUBTREE = Subtree(
    "schema.types.progress:ConceptProgressType",
    PROGRESS,
    identity=frozenset({"concept_id"}),
    nested={"concept": Nested("concept", "known_concept", _concept)},
)
PATH_SUBTREE = Subtree(
    "schema.types.path:LearningPathType",
    PATH,
    identity=frozenset({"id", "version"}),
    nested={"myEnrollment": Nested("my_enrollment", "known_enrollment", _enrollment)},
)
ENROLLMENT_SUBTREE = Subtree(
    "schema.types.progress:PathEnrollmentType",
    ENROLLMENT,
    identity=frozenset({"path_id"}),
    nested={"path": Nested("path", "known_path", _path)},
)
