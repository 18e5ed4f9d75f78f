"""Concept and path fields over both stores: a Cypher batch and its SQL fallback per field.

Each graph batch is one Cypher query for every parent in the request (UNWIND over the keys);
each SQL batch is one statement. `Federated` pairs them (see resolvers.loaders.federated).
Keys are concept ids as strings; walks take (concept id, depth).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from persistence.graph import concepts as cypher
from persistence.graph import walks
from persistence.graph.records import ItemRecord, RelationRecord
from persistence.sql import graph_fallback as fallback
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.paths import items_by_path
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    from domain.learning_order import ChainNode
    from persistence.sql.models import Concept
    from resolvers.resources import ApiResources

__all__ = [
    "BUILDS_UPON",
    "CHAIN",
    "DEPENDENTS",
    "MAX_PATH_ITEMS",
    "PATHS_OF_CONCEPT",
    "PATH_ITEMS",
    "PREREQUISITES",
    "RELATED",
    "RELATIONS",
    "SqlItem",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

DepthKey = tuple[str, int]
# the most concepts a path may hold (resolvers.paths.MAX_ITEMS)
MAX_PATH_ITEMS = 500


def _in_key_order(found: Mapping[K, V], keys: Sequence[K]) -> list[V | None]:
    return [found.get(key) for key in keys]


def _cap(resources: ApiResources) -> int:
    return resources.settings.max_page_size


def _depth(resources: ApiResources) -> int:
    return resources.settings.max_traversal_depth


def _on_graph(
    work: Callable[..., Awaitable[Mapping[K, V]]], **options: Callable[[ApiResources], Any]
) -> Callable[[ApiResources, list[K]], Awaitable[list[V | None]]]:
    """A graph batch: one read transaction of `work` over all keys; options read settings."""

    async def batch(resources: ApiResources, keys: list[K]) -> list[V | None]:
        bound = {name: option(resources) for name, option in options.items()}
        return _in_key_order(await graph_read(resources, work, keys, **bound), keys)

    return batch


def _on_sql(
    work: Callable[..., Awaitable[Mapping[K, V]]], **options: Callable[[ApiResources], Any]
) -> Callable[[ApiResources, list[K]], Awaitable[list[V]]]:
    """A SQL batch: one statement of `work` over all keys, in a fresh session."""

    async def batch(resources: ApiResources, keys: list[K]) -> list[V]:
        bound = {name: option(resources) for name, option in options.items()}
        async with read_session(resources) as session:
            found = await work(session, keys, **bound)
        return [found[key] for key in keys]

    return batch


PREREQUISITES: Federated[DepthKey, list[str]] = Federated(
    _on_graph(cypher.prerequisite_ids, max_depth=_depth, cap=_cap),
    _on_sql(partial(fallback.sql_walk, direction="prerequisites"), max_depth=_depth, cap=_cap),
)

DEPENDENTS: Federated[DepthKey, list[str]] = Federated(
    _on_graph(cypher.dependent_ids, max_depth=_depth, cap=_cap),
    _on_sql(partial(fallback.sql_walk, direction="dependents"), max_depth=_depth, cap=_cap),
)

CHAIN: Federated[str, list[ChainNode]] = Federated(
    _on_graph(cypher.chain_nodes, max_depth=_depth),
    _on_sql(fallback.sql_chain_nodes, max_depth=_depth),
)

RELATED: Federated[str, list[str]] = Federated(
    _on_graph(partial(cypher.linked_ids, link="related"), cap=_cap),
    _on_sql(partial(fallback.sql_linked_ids, link="related"), cap=_cap),
)

BUILDS_UPON: Federated[str, list[str]] = Federated(
    _on_graph(partial(cypher.linked_ids, link="builds_upon"), cap=_cap),
    _on_sql(partial(fallback.sql_linked_ids, link="builds_upon"), cap=_cap),
)

RELATIONS: Federated[str, list[RelationRecord]] = Federated(
    _on_graph(cypher.relations_of, cap=_cap),
    _on_sql(fallback.sql_relations, cap=_cap),
)

PATHS_OF_CONCEPT: Federated[str, list[str]] = Federated(
    _on_graph(walks.path_ids_of_concepts, cap=_cap),
    _on_sql(fallback.sql_path_ids, cap=_cap),
)


@dataclass(frozen=True)
class SqlItem(ItemRecord):
    """An item SQL read together with its concept's row (no second load needed)."""

    row: Concept | None = None


async def _sql_path_items(
    resources: ApiResources, keys: list[tuple[str, int]]
) -> list[list[ItemRecord]]:
    found = await items_by_path(resources, [uuid.UUID(path_id) for path_id, _ in keys])
    return [
        [
            SqlItem(str(item.concept.id), item.order_index, item.is_required, item.concept)
            for item in items[:MAX_PATH_ITEMS]
        ]
        for items in found
    ]


# Keyed by (path id, SQL version): the graph answers only once it holds that version.
PATH_ITEMS: Federated[tuple[str, int], list[ItemRecord]] = Federated(
    _on_graph(walks.path_items, cap=lambda _: MAX_PATH_ITEMS),
    _sql_path_items,
)
