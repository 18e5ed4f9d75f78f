"""A path's items over both stores: the order from the graph, the concepts from SQL.

SQL reads a path's items with their concepts as the key's pick asks, in one statement for
every path of a request; the graph says in which order once it holds the path's SQL version
(`PathOrderRecord.version`), and SQL's own order answers until then, or when the graph is
unavailable (the field is then reported degraded). Neither read needs the other's answer,
so both start at once; `learningPath(id)` reads the items within the path's own statement
(`path_with_items`), the graph's order started before it: a path costs the slower of one
statement and one Cypher query, not their sum.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from persistence.graph import walks
from persistence.graph.records import ItemRecord, PathOrderRecord
from persistence.sql.reads import paths
from resolvers.loaders.federated import graph_read_at_once
from resolvers.loaders.graph_errors import GraphReadError
from resolvers.loaders.json_reads import Picked, by_pick

if TYPE_CHECKING:
    import asyncio

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer
    from persistence.sql.reads.shapes import Pick
    from resolvers.context import Context
    from resolvers.loaders.registry import SharedLoader
    from resolvers.resources import ApiResources

__all__ = [
    "MAX_PATH_ITEMS",
    "ItemsKey",
    "ReadItem",
    "path_items",
    "path_with_items",
]

K = TypeVar("K")

# the most concepts a path may hold (resolvers.paths.MAX_ITEMS)
MAX_PATH_ITEMS = 500


@dataclass(frozen=True)
class ItemsKey:
    """A path at its SQL version: the graph's order counts only once it holds that version."""

    path_id: str
    version: int


@dataclass(frozen=True)
class ReadItem(ItemRecord):
    """An item with its concept as picked (or an Answer's JSON text); None when SQL did not
    read it with the item."""

    concept: Any = None


async def graph_orders(resources: ApiResources, ids: list[str]) -> list[PathOrderRecord | None]:
    """The paths as the graph holds them (None where it holds none); a GraphReadError when
    the graph gave no answer. Sent at once, not gathered with the operation's other graph
    reads: it is started before the statement it overlaps with."""
    found = await graph_read_at_once(resources, walks.path_orders, ids, cap=MAX_PATH_ITEMS)
    return [found.get(one) for one in ids]


async def sql_items(resources: ApiResources, keys: list[Picked[uuid.UUID]]) -> list[list[ReadItem]]:
    """Each path's items in SQL's order, each with its concept as its key picks it."""

    async def read(
        connection: ReadConnection,
        ids: list[uuid.UUID],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[list[ReadItem]]:
        found = await paths.items_by_path(connection, ids=ids, pick=pick, viewer=viewer)
        return [[_item(value) for value in items[:MAX_PATH_ITEMS]] for items in found]

    return await by_pick(resources, keys, read)


async def paths_with_items(
    resources: ApiResources, keys: list[Picked[tuple[uuid.UUID, Pick | Answer]]]
) -> list[tuple[Any, list[ReadItem]] | None]:
    """Paths as picked, each with its items and their concepts as the key's second pick asks
    (None where there is no such path): one statement per distinct pair of picks."""

    async def read(
        connection: ReadConnection,
        wanted: list[tuple[uuid.UUID, Pick | Answer]],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[tuple[Any, list[ReadItem]] | None]:
        found: list[tuple[Any, list[ReadItem]] | None] = [None] * len(wanted)
        by_items: dict[Pick | Answer, list[int]] = defaultdict(list)
        for index, (_, items) in enumerate(wanted):
            by_items[items].append(index)
        for items, indexes in by_items.items():
            ids = [wanted[index][0] for index in indexes]
            read = await paths.paths_with_items(
                connection, ids=ids, pick=pick, items=items, viewer=viewer
            )
            for index, one in zip(indexes, read, strict=True):
                if one is not None:
                    found[index] = (one[0], [_item(v) for v in one[1][:MAX_PATH_ITEMS]])
        return found

    return await by_pick(resources, keys, read)


async def path_with_items(
    context: Context, path_id: uuid.UUID, pick: Pick | Answer, items: Pick | Answer
) -> Any:
    """A path as picked (None if there is none), its items read with it and their order from
    the graph started at once: `path_items` then answers with no statement of its own."""
    viewer = context.viewer_id
    key = Picked(str(path_id), items, viewer)
    _start(context.loaders.of(graph_orders), key.key)
    found = await context.loaders.of(paths_with_items).load(Picked((path_id, items), pick, viewer))
    if found is None:
        return None
    path, read = found
    context.loaders.of(sql_items).prime(_items_key(key), read)
    return path


def _item(value: dict[str, Any]) -> ReadItem:
    return ReadItem(
        value["concept_id"], value["order_index"], value["is_required"], value["concept"]
    )


def _start(loader: SharedLoader[K, Any], key: K) -> None:
    """Start a load now (a later `load` of key takes its answer); if none comes (the path is
    gone), its failure is dropped unseen."""
    loader.start(key).add_done_callback(_seen)


def _items_key(key: Picked[str]) -> Picked[uuid.UUID]:
    return Picked(uuid.UUID(key.key), key.pick, key.viewer)


def _seen(done: asyncio.Future[Any]) -> None:
    if not done.cancelled():
        done.exception()


async def path_items(context: Context, field: str, key: Picked[ItemsKey]) -> list[ReadItem]:
    """A path's items in learning order, each with its concept as picked where SQL read it
    (a concept the graph lists that SQL did not read with the path has None)."""
    path = Picked(key.key.path_id, key.pick, key.viewer)
    order = context.loaders.of(graph_orders)
    items = context.loaders.of(sql_items)
    items_key = _items_key(path)
    _start(order, path.key)  # both at once, unless started already
    _start(items, items_key)
    try:
        held = await order.load(path.key)
    except GraphReadError:
        context.note_degraded(field)
        return await items.load(items_key)
    read = await items.load(items_key)
    if held is None or held.version < key.key.version:
        return read
    concepts = {item.concept_id: item.concept for item in read}
    return [
        ReadItem(item.concept_id, item.order_index, item.is_required, concepts.get(item.concept_id))
        for item in held.items
    ]
