"""Where a mirrored entity type lives on both sides, in the order reconciliation's merge-join needs.

Each mirror builds its own Target from its declaration, so the SQL table, the key and the
graph's label or relationship type are stated once. Both sides are paged by the key as a
string. SQL pages by its primary key (uuid, or a pair of uuids), which orders exactly as the
key's text does: a uuid compares byte by byte, and its canonical text is fixed-width lowercase
hex, so byte order and string order agree (and "a:b" keys have a fixed-width left part). That
keeps the primary key index in use. The graph pages by the node's `id`, or for an edge by its
`id` property or the ids of its ends.

Labels and relationship types come from the mirrors' declarations, never from input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, false, select, tuple_

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from domain.events import EntityType

__all__ = [
    "Target",
    "edge_page",
    "key_equals",
    "key_filter",
    "key_parts",
    "node_page",
    "source_key_page",
    "split_key",
    "uuid_array",
]

RETURNED = (
    "RETURN id, x.version AS version, x.content_hash AS content_hash, "
    "properties(x) AS properties, {removal} AS removal, {structure} AS structure "
    "ORDER BY id LIMIT $limit"
)


def node_page(label: str, structure: str = "null") -> str:
    """Nodes of a label; `structure` is a Cypher map of the edges that hang the node (x) in its
    structure, each a list of the other ends' ids (see NodeMirror.structure)."""
    # x.id in the WHERE (not an alias) lets the planner page on the id index, in its order.
    return f"MATCH (x:{label}) WHERE x.id > $after{{ids}} WITH x, x.id AS id " + RETURNED.format(
        removal="null", structure=structure
    )


def edge_page(source: str, rel_types: Sequence[str], target: str, *, removal: str = "null") -> str:
    """Edges of the given types paged by their `id` property (the entity id the sync wrote).

    x.id in the WHERE (not an alias) lets the planner seek and order on the relationship's id
    index, so each page costs its own size, not a scan of every edge of the type.
    """
    types = "|".join(rel_types)
    return (
        f"MATCH (s:{source})-[x:{types}]->(t:{target}) WHERE x.id > $after{{ids}} "
        "WITH s, x, t, x.id AS id " + RETURNED.format(removal=removal, structure="null")
    )


@dataclass(frozen=True)
class Target:
    """One entity type: its SQL table and key columns, and the Cypher that pages its graph side."""

    entity_type: EntityType
    model: Any
    key: tuple[Any, ...]
    page_text: str
    filtered_key: str = "id"  # what the WHERE of page_text compares with $after

    def graph_page(self, *, with_ids: bool) -> str:
        """Cypher for one page ($after, $limit), optionally only for the keys in $ids."""
        ids = f" AND {self.filtered_key} IN $ids" if with_ids else ""
        return self.page_text.replace("{ids}", ids)


def uuid_array(ids: Iterable[uuid.UUID]) -> str:
    """A uuid[] parameter as one array literal (cast it with CAST(... AS uuid[])): psycopg
    dumps a list item by item, checking each for quoting, where a UUID's text needs none."""
    return "{" + ",".join(map(str, ids)) + "}"


def split_key(entity_id: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The two UUIDs of a composite entity id ("left:right"), or None if it is not one."""
    parts = entity_id.split(":")
    if len(parts) != 2:
        return None
    try:
        return uuid.UUID(parts[0]), uuid.UUID(parts[1])
    except ValueError:
        return None


def key_parts(target: Target, entity_id: str) -> tuple[uuid.UUID, ...] | None:
    """The key columns' values an entity id names, or None if it cannot name a row."""
    if len(target.key) == 2:
        return split_key(entity_id)
    try:
        return (uuid.UUID(entity_id),)
    except ValueError:
        return None


def key_filter(target: Target, entity_ids: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition: the row's key is one of entity_ids (ids that name no row are skipped)."""
    keys = [parts for value in entity_ids if (parts := key_parts(target, value)) is not None]
    return tuple_(*target.key).in_(keys) if keys else false()


def key_equals(target: Target, parts: Sequence[Any]) -> ColumnElement[bool]:
    return and_(*[column == value for column, value in zip(target.key, parts, strict=True)])


def source_key_page(
    target: Target, *, after: str | None, limit: int, entity_ids: Sequence[str] | None
) -> Select[Any]:
    """The next `limit` SQL keys after `after`, in key order."""
    query = select(*target.key).order_by(*target.key).limit(limit)
    last = key_parts(target, after) if after is not None else None
    if last is not None:
        query = query.where(tuple_(*target.key) > tuple_(*last))
    if entity_ids is not None:
        query = query.where(key_filter(target, entity_ids))
    return query
