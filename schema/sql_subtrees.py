"""GraphQL subtrees that PostgreSQL answers as one JSON value (persistence.sql.reads).

A `Subtree` ties an object type to an entity: its plain fields (no resolver) that are the
entity's attributes, and fields that follow one of its relations into another subtree.
`pick_of` looks ahead at a selection and says what to read (`Pick`); `built` makes the type's
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

from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from persistence.sql.reads.entities import CONCEPT, ENROLLMENT, PATH, PROGRESS
from persistence.sql.reads.shapes import Entity, Pick, merged
from schema.lookahead import selected

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from strawberry.types.nodes import Selection

__all__ = [
    "CONCEPT_SUBTREE",
    "ENROLLMENT_SUBTREE",
    "PATH_SUBTREE",
    "PROGRESS_SUBTREE",
    "Nested",
    "Subtree",
    "built",
    "pick_of",
]


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


def pick_of(subtree: Subtree, selections: Iterable[Selection]) -> Pick:
    """What to read for a selection of the subtree's type (fragments included)."""
    attributes = set(subtree.identity)
    relations: dict[str, Pick] = {}
    for chosen in selected(selections):
        if chosen.name in subtree.plain:
            attributes.add(subtree.plain[chosen.name])
        elif chosen.name in subtree.nested:
            nested = subtree.nested[chosen.name]
            inner = pick_of(nested.subtree(), chosen.selections)
            known = relations.get(nested.relation)
            relations[nested.relation] = merged(known, inner) if known else inner
    return Pick(frozenset(attributes), tuple(sorted(relations.items())))


def built(subtree: Subtree, value: dict[str, Any]) -> Any:
    """An instance of the subtree's type holding the JSON read's values (see the module)."""
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
