"""JSON objects built by PostgreSQL for exactly the attributes a caller picks.

An `Entity` names a table's attributes (each a column, read under its own name) and its
relations (another entity reached by a correlated subquery). `json_object` writes the
`json_build_object(...)` expression of a `Pick` over a row, nesting its relations;
`decoded` turns the parsed JSON back into Python values (timestamps to datetimes) in place.
Every name in the SQL comes from these fixed specs, never from input; values are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Entity", "Pick", "Relation", "decoded", "json_object", "merged"]


@dataclass(frozen=True)
class Pick:
    """What a caller reads of an entity: attribute names, and a Pick per relation it follows."""

    attributes: frozenset[str]
    relations: tuple[tuple[str, Pick], ...] = ()


@dataclass(frozen=True)
class Relation:
    """Zero or one row of `target` for a row: `condition` relates alias {inner} to {outer}."""

    target: Callable[[], Entity]  # late-bound, so that entities can refer to each other
    condition: str


@dataclass(frozen=True)
class Entity:
    table: str
    attributes: frozenset[str]
    timestamps: frozenset[str] = frozenset()
    relations: Mapping[str, Relation] = field(default_factory=dict)


def json_object(entity: Entity, pick: Pick, alias: str, depth: int = 0) -> str:
    """`json_build_object` of the picked attributes of `alias`'s row, relations nested."""
    unknown = pick.attributes - entity.attributes
    if unknown:
        raise ValueError(f"{entity.table} has no attribute {sorted(unknown)[0]}")
    pairs = [f"'{name}', {alias}.{name}" for name in sorted(pick.attributes)]
    pairs += [_nested(entity, name, inner, alias, depth) for name, inner in pick.relations]
    return f"json_build_object({', '.join(pairs)})"


def _nested(entity: Entity, name: str, pick: Pick, outer: str, depth: int) -> str:
    relation = entity.relations[name]
    target = relation.target()
    inner = f"r{depth + 1}"
    condition = relation.condition.format(inner=inner, outer=outer)
    body = json_object(target, pick, inner, depth + 1)
    subquery = f"SELECT {body} FROM {target.table} {inner} WHERE {condition}"
    return f"'{name}', ({subquery})"


def decoded(entity: Entity, pick: Pick, value: dict[str, Any]) -> dict[str, Any]:
    """The parsed JSON of one object with Python values again (in place), relations too."""
    for name in entity.timestamps & pick.attributes:
        stamp = value[name]
        value[name] = None if stamp is None else datetime.fromisoformat(stamp)
    for name, inner in pick.relations:
        nested = value[name]
        if nested is not None:
            decoded(entity.relations[name].target(), inner, nested)
    return value


def merged(one: Pick, other: Pick) -> Pick:
    """Everything either pick reads (a field selected twice, e.g. under two aliases)."""
    relations = dict(one.relations)
    for name, inner in other.relations:
        relations[name] = merged(relations[name], inner) if name in relations else inner
    return Pick(one.attributes | other.attributes, tuple(sorted(relations.items())))
