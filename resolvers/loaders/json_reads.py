"""Batch loads of SQL subtrees built as JSON by PostgreSQL (persistence.sql.reads).

A key carries what to read (`pick`: a Pick to parse, or an Answer whose JSON text is sent on
as it is) and for whom (`viewer`, for the caller's own rows); a batch runs one statement per
distinct (pick, viewer), in practice one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from persistence.sql.reads import paths, progress
from resolvers.loaders.registry import reading

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable, Sequence

    from sqlalchemy.ext.asyncio import AsyncConnection

    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.progress import JsonPage, PageWanted
    from persistence.sql.reads.shapes import Pick
    from resolvers.resources import ApiResources

__all__ = ["Picked", "by_pick", "concepts_in_order", "path_by_id", "progress_pages"]

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")
Json = Any  # a picked object, or an Answer's JSON text


@dataclass(frozen=True)
class Picked(Generic[K]):
    key: K
    pick: Pick | Answer | Edges
    viewer: uuid.UUID | None


async def by_pick(
    resources: ApiResources,
    keys: list[Picked[K]],
    read: Callable[[AsyncConnection, list[K], Any, uuid.UUID | None], Awaitable[Sequence[V]]],
) -> list[V]:
    """One read per (pick, viewer) among the keys, on one connection; answers in key order.
    `read` takes the picks its keys carry (Edges only where it reads pages)."""
    groups: dict[tuple[Pick | Answer | Edges, uuid.UUID | None], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        groups[key.pick, key.viewer].append(index)
    answers: dict[int, V] = {}
    async with reading(resources) as connection:
        for (pick, viewer), indexes in groups.items():
            found = await read(connection, [keys[i].key for i in indexes], pick, viewer)
            answers.update(zip(indexes, found, strict=True))
    return [answers[index] for index in range(len(keys))]


async def progress_pages(resources: ApiResources, keys: list[Picked[PageWanted]]) -> list[JsonPage]:
    """Users' pages of progress, each row as picked."""

    async def read(
        connection: AsyncConnection,
        pages: list[PageWanted],
        pick: Pick | Answer | Edges,
        viewer: uuid.UUID | None,
    ) -> list[JsonPage]:
        return await progress.progress_pages(connection, pages=pages, pick=pick, viewer=viewer)

    return await by_pick(resources, keys, read)


async def path_by_id(resources: ApiResources, keys: list[Picked[uuid.UUID]]) -> list[Json | None]:
    """Learning paths as picked, None where there is none."""

    async def read(
        connection: AsyncConnection,
        ids: list[uuid.UUID],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[Json | None]:
        return await paths.paths_by_id(connection, ids=ids, pick=pick, viewer=viewer)

    return await by_pick(resources, keys, read)


async def concepts_in_order(
    resources: ApiResources, keys: list[Picked[tuple[uuid.UUID, ...]]]
) -> list[list[tuple[str, Json]]]:
    """For each list of concept ids, (id, concept as picked) of those that exist, in that
    order."""

    async def read(
        connection: AsyncConnection,
        lists: list[tuple[uuid.UUID, ...]],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[list[tuple[str, Json]]]:
        wanted = list(dict.fromkeys(concept_id for ids in lists for concept_id in ids))
        found = await paths.concepts_in_order(connection, ids=wanted, pick=pick, viewer=viewer)
        by_id = {uuid.UUID(concept_id): value for concept_id, value in found}
        return [[(str(i), by_id[i]) for i in ids if i in by_id] for ids in lists]

    return await by_pick(resources, keys, read)
