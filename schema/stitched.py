"""Lists written in Python around SQL subtrees that PostgreSQL wrote as the answer.

A list whose objects hold a few plain values read elsewhere (a path's order from the graph)
and one SQL subtree can be written whole when the request may get JSON text (see
schema/sql_answers.py): each object a dict of its selected keys in order, the subtree's text
inside as an `orjson.Fragment`, all encoded by orjson in one call instead of completed field
by field. The plain values must already be what their GraphQL type writes (ints, booleans,
strings). Anything else selected on the object, a directive other than @skip/@include, or the
subtree under two response names, and the list is left to the instances (None).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import orjson
from graphql import GraphQLObjectType, get_named_type

from schema.sql_answers import Collector, answer_in, fields_at

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from persistence.sql.reads.answers import Answer
    from schema.info import Info
    from schema.sql_subtrees import Subtree

__all__ = ["Stitch", "stitch_of", "stitched"]

TYPENAME = ""  # the key's source: the type's name
NESTED = "."  # the key's source: the subtree's text


@dataclass(frozen=True)
class Stitch:
    keys: tuple[tuple[str, str], ...]  # response name -> attribute, TYPENAME or NESTED
    type_name: str
    answer: Answer | None  # of the subtree, when selected


def stitch_of(
    subtree: Subtree, info: Info, *, attributes: Mapping[str, str], nested: str
) -> Stitch | None:
    """How to write the current field's list: `attributes` maps GraphQL names to the plain
    attributes of its objects, `nested` names the field holding the subtree."""
    if not info.context.sends_json_text:
        return None
    raw = info._raw_info
    collector = Collector(raw)
    found = fields_at(collector, raw.return_type, raw.field_nodes, ())
    groups = None if found is None else collector.groups(*found)
    if not groups or found is None:
        return None
    kind = found[0]
    keys: list[tuple[str, str]] = []
    answer = None
    for response_name, fields in groups.items():
        name = fields[0].name.value
        if name == "__typename":
            keys.append((response_name, TYPENAME))
        elif name in attributes:
            keys.append((response_name, attributes[name]))
        elif name == nested and answer is None:
            inner = cast("GraphQLObjectType", get_named_type(kind.fields[name].type))
            answer = answer_in(collector, subtree, inner, fields)
            if answer is None:
                return None
            keys.append((response_name, NESTED))
        else:
            return None
    return Stitch(tuple(keys), kind.name, answer)


def stitched(stitch: Stitch, objects: Iterable[Any], nested_text: Callable[[Any], str]) -> Any:
    """The list's JSON text (an orjson.Fragment the executor passes through)."""
    rows = []
    for one in objects:
        row: dict[str, Any] = {}
        for key, source in stitch.keys:
            if source == TYPENAME:
                row[key] = stitch.type_name
            elif source == NESTED:
                row[key] = orjson.Fragment(nested_text(one))
            else:
                row[key] = getattr(one, source)
        rows.append(row)
    return orjson.Fragment(orjson.dumps(rows))
