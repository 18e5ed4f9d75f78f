"""Learning paths by id, their items, and concepts in a given order, with every picked field.

Each object comes as picked (parsed, with Python values) or as an Answer's JSON text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from persistence.sql.reads.entities import CONCEPT, PATH
from persistence.sql.reads.rows import json_values, statement_cache
from persistence.sql.reads.shapes import json_item, read_back

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer
    from persistence.sql.reads.shapes import Pick

__all__ = ["concepts_in_order", "items_by_path", "paths_by_id", "paths_with_items"]


def _paths(pick: Pick | Answer) -> str:
    return f"""
SELECT CAST(CASE WHEN t0.id IS NOT NULL THEN to_json({json_item(PATH, pick, "t0")}) END AS text)
FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS k(id, ord)
LEFT JOIN learning_paths t0 ON t0.id = k.id ORDER BY k.ord
"""


def _concepts(reads: tuple[Pick | Answer, ...]) -> str:
    items = ", ".join(json_item(CONCEPT, read, "t0") for read in reads)
    return f"""
SELECT CAST(coalesce(json_agg(json_build_array(t0.id, {items}) ORDER BY k.ord),
                     CAST('[]' AS json)) AS text)
FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS k(id, ord)
JOIN concepts t0 ON t0.id = k.id
"""


_paths_statement = statement_cache(_paths)
_concepts_statement = statement_cache(_concepts)


async def paths_by_id(
    connection: ReadConnection,
    *,
    ids: Sequence[uuid.UUID],
    pick: Pick | Answer,
    viewer: uuid.UUID | None,
) -> list[Any | None]:
    """Each path of ids (None where there is none), in the order of ids."""
    params = {"ids": list(ids), "viewer": viewer}
    found = await json_values(connection, _paths_statement(pick), params)
    return [None if value is None else read_back(PATH, pick, value) for value in found]


async def concepts_in_order(
    connection: ReadConnection,
    *,
    ids: Sequence[uuid.UUID],
    reads: Sequence[Pick | Answer],
    viewer: uuid.UUID | None,
) -> list[tuple[str, list[Any]]]:
    """(id, the concept as each of `reads` wants it) of the concepts that exist among ids, in
    the order of ids, in one statement whatever the reads."""
    params = {"ids": list(ids), "viewer": viewer}
    [found] = await json_values(connection, _concepts_statement(tuple(reads)), params)
    return [
        (
            concept_id,
            [read_back(CONCEPT, read, value) for read, value in zip(reads, values, strict=True)],
        )
        for concept_id, *values in found
    ]


def _items_of(pick: Pick | Answer, path: str) -> str:
    """SQL: the JSON array of the items of the path whose id is `path`, in learning order,
    each with its concept as picked. Each concept is looked up by its key (LATERAL, kept
    apart by OFFSET 0): as a plain join the planner hashed the whole concepts table for a
    path's few dozen items (0.9 against 0.5 ms with 1,000 concepts, growing with the table)."""
    return f"""coalesce((
  SELECT json_agg(json_build_object(
    'concept_id', i.concept_id, 'order_index', i.order_index, 'is_required', i.is_required,
    'concept', {json_item(CONCEPT, pick, "c0")}) ORDER BY i.order_index)
  FROM learning_path_items i
  CROSS JOIN LATERAL (SELECT * FROM concepts c0 WHERE c0.id = i.concept_id OFFSET 0) AS c0
  WHERE i.path_id = {path}
), CAST('[]' AS json))"""


def _items(pick: Pick | Answer) -> str:
    return f"""
SELECT CAST({_items_of(pick, "k.id")} AS text)
FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS k(id, ord)
ORDER BY k.ord
"""


def _paths_with_items(pick: Pick | Answer, items: Pick | Answer) -> str:
    return f"""
SELECT CAST(CASE WHEN t0.id IS NOT NULL
            THEN json_build_array({json_item(PATH, pick, "t0")}, {_items_of(items, "t0.id")}) END
       AS text)
FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS k(id, ord)
LEFT JOIN learning_paths t0 ON t0.id = k.id ORDER BY k.ord
"""


_items_statement = statement_cache(_items)
_paths_with_items_statement = statement_cache(_paths_with_items)


async def items_by_path(
    connection: ReadConnection,
    *,
    ids: Sequence[uuid.UUID],
    pick: Pick | Answer,
    viewer: uuid.UUID | None,
) -> list[list[dict[str, Any]]]:
    """Each path's items in learning order, each with its concept as picked (`concept`)."""
    params = {"ids": list(ids), "viewer": viewer}
    found = await json_values(connection, _items_statement(pick), params)
    return [_items_back(pick, items) for items in found]


async def paths_with_items(
    connection: ReadConnection,
    *,
    ids: Sequence[uuid.UUID],
    pick: Pick | Answer,
    items: Pick | Answer,
    viewer: uuid.UUID | None,
) -> list[tuple[Any, list[dict[str, Any]]] | None]:
    """Each path of ids as picked with its items as `items_by_path` gives them (None where
    there is no such path), in the order of ids: one statement."""
    params = {"ids": list(ids), "viewer": viewer}
    found = await json_values(connection, _paths_with_items_statement(pick, items), params)
    return [
        None if value is None else (read_back(PATH, pick, value[0]), _items_back(items, value[1]))
        for value in found
    ]


def _items_back(pick: Pick | Answer, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in items:
        item["concept"] = read_back(CONCEPT, pick, item["concept"])
    return items
