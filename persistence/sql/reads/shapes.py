"""JSON objects built by PostgreSQL for exactly the attributes a caller picks.

An `Entity` names a table's attributes (each a column, read under its own name, with its kind
and nullability derived from the model: `entity_of`) and its relations (another entity reached
by a correlated subquery). `json_object` writes the
`json_build_object(...)` expression of a `Pick` over a row, nesting its relations;
`decoded` turns the parsed JSON back into Python values (timestamps to datetimes) in place.
Every name in the SQL comes from these fixed specs, never from input; values are parameters.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ARRAY, Boolean, DateTime, Float, Integer, SmallInteger, String, Uuid

from persistence.sql.reads.answers import Answer, Edges, answer_object, edge_object

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sqlalchemy import Column as TableColumn
    from sqlalchemy import Table
    from sqlalchemy.orm import DeclarativeBase

__all__ = [
    "Column",
    "Entity",
    "Kind",
    "Pick",
    "Relation",
    "decoded",
    "entity_of",
    "json_item",
    "json_object",
    "merged",
    "page_back",
    "page_item",
    "page_rows",
    "page_window",
    "read_back",
]


class Kind(enum.Enum):
    """What a column holds, as far as writing it in JSON goes."""

    TEXT = "text"
    UUID = "uuid"
    INT = "int"  # 32 bits at most
    FLOAT = "float"  # double precision
    BOOL = "bool"
    TIMESTAMP = "timestamp"  # with a time zone
    TEXT_LIST = "text list"
    OTHER = "other"


@dataclass(frozen=True)
class Column:
    kind: Kind
    nullable: bool


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


@dataclass(frozen=True, eq=False)
class Entity:
    table: str
    columns: Mapping[str, Column]
    relations: Mapping[str, Relation] = field(default_factory=dict)

    @functools.cached_property
    def attributes(self) -> frozenset[str]:
        return frozenset(self.columns)

    @functools.cached_property
    def timestamps(self) -> frozenset[str]:
        return frozenset(n for n, c in self.columns.items() if c.kind is Kind.TIMESTAMP)


def _kind(column: TableColumn[Any]) -> Kind:
    kind = column.type
    if isinstance(kind, ARRAY):
        return Kind.TEXT_LIST if isinstance(kind.item_type, String) else Kind.OTHER
    if isinstance(kind, Float):
        return Kind.FLOAT if kind.precision is None and not kind.asdecimal else Kind.OTHER
    if isinstance(kind, DateTime):
        return Kind.TIMESTAMP if kind.timezone else Kind.OTHER
    if type(kind) in {Integer, SmallInteger}:  # not BigInteger: GraphQL's Int has 32 bits
        return Kind.INT
    simple = ((String, Kind.TEXT), (Uuid, Kind.UUID), (Boolean, Kind.BOOL))
    return next((k for t, k in simple if isinstance(kind, t)), Kind.OTHER)


def entity_of(model: type[DeclarativeBase], **relations: Relation) -> Entity:
    """The entity of a model's table: every column under its name, and these relations."""
    table = cast("Table", model.__table__)
    columns = {c.name: Column(_kind(c), bool(c.nullable)) for c in table.columns}
    return Entity(str(table.name), columns, relations)


def json_object(entity: Entity, pick: Pick, alias: str, depth: int = 0) -> str:
    """`json_build_object` of the picked attributes of `alias`'s row, relations nested."""
    unknown = pick.attributes - entity.attributes
    if unknown:
        raise ValueError(f"{entity.table} has no attribute {sorted(unknown)[0]}")
    pairs = [f"'{name}', {alias}.\"{name}\"" for name in sorted(pick.attributes)]
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


def json_item(entity: Entity, read: Pick | Answer, alias: str) -> str:
    """SQL: one object as the read wants it, the JSON of a Pick or the text of an Answer (which
    JSON aggregates and objects then hold as a string, sent on as it is)."""
    if isinstance(read, Answer):
        return f"CAST({answer_object(entity, read, alias)} AS text)"
    return json_object(entity, read, alias)


def read_back(entity: Entity, read: Pick | Answer, value: Any) -> Any:
    """The parsed value of a json_item: a Pick's object with Python values, an Answer's text."""
    return value if isinstance(read, Answer) else decoded(entity, read, value)


def page_item(entity: Entity, read: Pick | Answer | Edges, alias: str, offset: str) -> str:
    """SQL: one row of a page as the read wants it (an edge of Edges, `offset` its cursor's)."""
    if isinstance(read, Edges):
        return edge_object(entity, read, alias, offset)
    return json_item(entity, read, alias)


def page_window(table: str, *, where: str, order: str, skip: str, take: str) -> tuple[str, str]:
    """SQL: a page of `table`'s rows as alias t0 (`where` and `order` over t0; `skip` and
    `take` SQL too), cut before any JSON is built, so the rows before the page are never
    written (PostgreSQL computes a select list before OFFSET drops its rows); and the
    expression of a page row's offset in the whole list, for its cursor."""
    rows = f"(SELECT * FROM {table} t0 WHERE {where} ORDER BY {order} OFFSET {skip} LIMIT {take})"
    return f"{rows} AS t0", f"{skip} + row_number() OVER (ORDER BY {order}) - 1"


def page_rows(read: Pick | Answer | Edges, rows: str) -> str:
    """SQL: a page's JSON array of rows, as its text for Edges (whose text is the answer)."""
    return f"CAST({rows} AS text)" if isinstance(read, Edges) else rows


def page_back(entity: Entity, read: Pick | Answer | Edges, rows: Any) -> Any:
    """A page's parsed rows: each as read_back gives it, or the edges' text."""
    if isinstance(read, Edges):
        return rows
    return [read_back(entity, read, row) for row in rows]
