"""A path's items over both stores: the order from the graph, SQL when it cannot answer.

The graph answers which concept stands where once it holds the path's SQL version; SQL (not
synced yet, or the graph unavailable) answers in one statement the items together with their
concepts as the key's pick asks, so a path read from SQL needs no second statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persistence.graph import walks
from persistence.graph.records import ItemRecord
from persistence.sql.reads import paths
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.json_reads import Picked, by_pick

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from persistence.sql.reads.answers import Answer
    from persistence.sql.reads.shapes import Pick
    from resolvers.resources import ApiResources

__all__ = ["MAX_PATH_ITEMS", "PATH_ITEMS", "ItemsKey", "ReadItem"]

# the most concepts a path may hold (resolvers.paths.MAX_ITEMS)
MAX_PATH_ITEMS = 500


@dataclass(frozen=True)
class ItemsKey:
    """A path at its SQL version: the graph answers only once it holds that version."""

    path_id: str
    version: int


@dataclass(frozen=True)
class ReadItem(ItemRecord):
    """An item SQL read together with its concept, as picked (or an Answer's JSON text)."""

    concept: Any = None


async def _from_graph(
    resources: ApiResources, keys: list[Picked[ItemsKey]]
) -> list[list[ItemRecord] | None]:
    wanted = [(key.key.path_id, key.key.version) for key in keys]
    found = await graph_read(resources, walks.path_items, wanted, cap=MAX_PATH_ITEMS)
    return [found.get(one) for one in wanted]


async def _from_sql(
    resources: ApiResources, keys: list[Picked[ItemsKey]]
) -> list[list[ItemRecord]]:
    async def read(
        connection: AsyncConnection,
        wanted: list[ItemsKey],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[list[ItemRecord]]:
        ids = [uuid.UUID(key.path_id) for key in wanted]
        found = await paths.items_by_path(connection, ids=ids, pick=pick, viewer=viewer)
        return [[_item(value) for value in items[:MAX_PATH_ITEMS]] for items in found]

    return await by_pick(resources, keys, read)


def _item(value: dict[str, Any]) -> ReadItem:
    return ReadItem(
        value["concept_id"], value["order_index"], value["is_required"], value["concept"]
    )


PATH_ITEMS: Federated[Picked[ItemsKey], list[ItemRecord]] = Federated(_from_graph, _from_sql)
