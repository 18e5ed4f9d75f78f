"""Concept and path fields over both stores: a Cypher batch and its SQL fallback per field.

Each graph batch is one Cypher query for every parent in the request (UNWIND over the keys);
each SQL batch is one statement. `Federated` pairs them (see resolvers.loaders.federated).
Keys are concept ids as strings; walks take (concept id, depth).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from persistence.graph import concepts as cypher
from persistence.graph import walks
from persistence.sql import graph_fallback as fallback
from resolvers.loaders.federated import Federated, graph_read
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    from domain.learning_order import ChainNode
    from persistence.graph.records import RelationRecord
    from resolvers.resources import ApiResources

__all__ = [
    "BUILDS_UPON",
    "CHAIN",
    "DEPENDENTS",
    "PATHS_OF_CONCEPT",
    "PREREQUISITES",
    "RELATED",
    "RELATIONS",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

DepthKey = tuple[str, int]


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
