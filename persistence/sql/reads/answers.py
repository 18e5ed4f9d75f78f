"""JSON objects that PostgreSQL writes as the answer itself, to be sent on unparsed.

An `Answer` lists an object's keys in the caller's order: a column written in a `Format`
that matches how the API's JSON encoder writes the value the column would otherwise become,
a literal (a type's name), or a relation followed into another Answer. `answer_object` writes
the SQL of the object over one row; the caller decides which keys exist and how each is
written, this module only spells them. Every name comes from fixed specs or GraphQL names,
and is quoted; values are never formatted into the text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from persistence.sql.reads.shapes import Entity

__all__ = [
    "MAX_KEYS",
    "Answer",
    "Cursor",
    "Edges",
    "Followed",
    "Format",
    "Literal",
    "Node",
    "Written",
    "answer_object",
    "edge_object",
]

MAX_KEYS = 50  # json_build_object takes at most 100 arguments


class Format(enum.Enum):
    AS_IS = "as is"  # text, uuid, int, boolean, text[]: as json_build_object writes them
    FLOAT = "float"  # a double, always with a fraction or an exponent (5.0, not 5)
    TIMESTAMP = "timestamp"  # Python's isoformat: microseconds all six or none, offset +HH:MM
    LABEL = "label"  # a stored value written as its label (an enum's GraphQL name)


@dataclass(frozen=True)
class Written:
    key: str
    column: str
    format: Format = Format.AS_IS
    labels: tuple[tuple[str, str], ...] = ()  # stored value -> label, for Format.LABEL


@dataclass(frozen=True)
class Literal:
    key: str
    text: str


@dataclass(frozen=True)
class Followed:
    key: str
    relation: str
    answer: Answer


@dataclass(frozen=True)
class Answer:
    keys: tuple[Written | Literal | Followed, ...]


@dataclass(frozen=True)
class Cursor:
    """An edge's cursor: url-safe base64 of `prefix` and the row's offset in the whole list."""

    key: str
    prefix: str


@dataclass(frozen=True)
class Node:
    key: str
    answer: Answer


@dataclass(frozen=True)
class Edges:
    """A page's edges written whole, each edge's keys in order."""

    keys: tuple[Cursor | Node | Literal, ...]


def quoted(text: str) -> str:
    """An SQL string literal of the text."""
    return "'" + text.replace("'", "''") + "'"


def _float(value: str) -> str:
    # PostgreSQL writes an integral double as 5; a float is written 5.0. Beyond 1e15 both
    # use an exponent (PostgreSQL 1e+15, the encoder 1e15: the same number).
    whole = f"CAST(CAST(CAST({value} AS bigint) AS text) || '.0' AS json)"
    return f"CASE WHEN {value} = trunc({value}) AND abs({value}) < 1e15 THEN {whole} ELSE to_json({value}) END"


def _timestamp(value: str) -> str:
    whole = "'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'"
    fraction = "'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'"
    chosen = f"CASE WHEN {value} = date_trunc('second', {value}) THEN {whole} ELSE {fraction} END"
    return f"to_char({value}, {chosen})"


def _label(value: str, labels: tuple[tuple[str, str], ...]) -> str:
    cases = " ".join(f"WHEN {quoted(stored)} THEN {quoted(label)}" for stored, label in labels)
    return f"CASE {value} {cases} END"


def _written(key: Written, alias: str) -> str:
    value = f'{alias}."{key.column}"'
    match key.format:
        case Format.FLOAT:
            return _float(value)
        case Format.TIMESTAMP:
            return _timestamp(value)
        case Format.LABEL:
            return _label(value, key.labels)
    return value


def _value(entity: Entity, key: Written | Literal | Followed, alias: str, depth: int) -> str:
    if isinstance(key, Literal):
        return f"CAST({quoted(key.text)} AS text)"
    if isinstance(key, Written):
        if key.column not in entity.columns:
            raise ValueError(f"{entity.table} has no column {key.column}")
        return _written(key, alias)
    relation = entity.relations[key.relation]
    target = relation.target()
    inner = f"r{depth + 1}"
    condition = relation.condition.format(inner=inner, outer=alias)
    body = answer_object(target, key.answer, inner, depth + 1)
    return f"(SELECT {body} FROM {target.table} {inner} WHERE {condition})"


def answer_object(entity: Entity, answer: Answer, alias: str, depth: int = 0) -> str:
    """SQL: the JSON object of the answer over `alias`'s row of the entity's table."""
    if len(answer.keys) > MAX_KEYS:
        raise ValueError(f"an answer of {entity.table} has more than {MAX_KEYS} keys")
    pairs = [f"{quoted(k.key)}, {_value(entity, k, alias, depth)}" for k in answer.keys]
    return f"json_build_object({', '.join(pairs)})"


def _cursor(cursor: Cursor, offset: str) -> str:
    encoded = f"encode(convert_to({quoted(cursor.prefix)} || ({offset}), 'UTF8'), 'base64')"
    return f"translate({encoded}, '+/', '-_')"


def edge_object(entity: Entity, edges: Edges, alias: str, offset: str) -> str:
    """SQL: the JSON object of one edge over `alias`'s row; `offset` is the SQL of the row's
    offset in the whole list (its cursor)."""
    pairs = []
    for key in edges.keys:
        if isinstance(key, Cursor):
            value = _cursor(key, offset)
        elif isinstance(key, Node):
            value = answer_object(entity, key.answer, alias)
        else:
            value = f"CAST({quoted(key.text)} AS text)"
        pairs.append(f"{quoted(key.key)}, {value}")
    return f"json_build_object({', '.join(pairs)})"
