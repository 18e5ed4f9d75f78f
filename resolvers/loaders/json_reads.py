"""Batch loads of SQL subtrees built as JSON by PostgreSQL (persistence.sql.reads).

A key carries what to read (`pick`: a Pick to parse, or an Answer whose JSON text is sent on
as it is) and for whom (`viewer`, for the caller's own rows); a batch runs one statement per
distinct (pick, viewer), in practice one; concepts by id one per viewer, whatever the picks.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from persistence.sql.reads import paths, progress
from resolvers.loaders.registry import reading

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable, Sequence

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.progress import JsonPage, PageWanted
    from persistence.sql.reads.shapes import Pick
    from resolvers.resources import ApiResources

__all__ = ["Picked", "by_pick", "concepts_in_order", "path_by_id", "progress_pages"]

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")
Json = Any  # a picked object, or an Answer's JSON text
# a statement reading concepts builds an array of each concept's id and one item per pick:
# json_build_array takes at most 100 arguments
READS_PER_STATEMENT = 40


@dataclass(frozen=True)
class Picked(Generic[K]):
    key: K
    pick: Pick | Answer | Edges
    viewer: uuid.UUID | None


async def by_pick(
    resources: ApiResources,
    keys: list[Picked[K]],
    read: Callable[[ReadConnection, list[K], Any, uuid.UUID | None], Awaitable[Sequence[V]]],
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
        connection: ReadConnection,
        pages: list[PageWanted],
        pick: Pick | Answer | Edges,
        viewer: uuid.UUID | None,
    ) -> list[JsonPage]:
        return await progress.progress_pages(connection, pages=pages, pick=pick, viewer=viewer)

    return await by_pick(resources, keys, read)


async def path_by_id(resources: ApiResources, keys: list[Picked[uuid.UUID]]) -> list[Json | None]:
    """Learning paths as picked, None where there is none."""

    async def read(
        connection: ReadConnection,
        ids: list[uuid.UUID],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[Json | None]:
        return await paths.paths_by_id(connection, ids=ids, pick=pick, viewer=viewer)

    return await by_pick(resources, keys, read)


async def concepts_in_order(
    resources: ApiResources, keys: list[Picked[tuple[uuid.UUID, ...]]]
) -> list[list[tuple[str, Json]]]:
    """For each list of concept ids, (id, concept as its key picks it) of those that exist,
    in that order: one statement per viewer, whatever the keys pick (walks and paths that
    select their concepts differently share it), for up to READS_PER_STATEMENT picks."""
    groups: dict[tuple[uuid.UUID | None, int], list[int]] = defaultdict(list)
    positions: dict[uuid.UUID | None, dict[Pick | Answer, int]] = defaultdict(dict)
    for index, key in enumerate(keys):
        known = positions[key.viewer]
        position = known.setdefault(_read_of(key), len(known))
        groups[key.viewer, position // READS_PER_STATEMENT].append(index)
    answers: dict[int, list[tuple[str, Json]]] = {}
    async with reading(resources) as connection:
        for (viewer, _), indexes in groups.items():
            answers.update(
                await _concepts_for(connection, [keys[i] for i in indexes], viewer, indexes)
            )
    return [answers[index] for index in range(len(keys))]


def _read_of(key: Picked[Any]) -> Pick | Answer:
    """How a concept is read: a Pick or an Answer (Edges are a page's, never a concept's)."""
    return cast("Pick | Answer", key.pick)


async def _concepts_for(
    connection: ReadConnection,
    keys: list[Picked[tuple[uuid.UUID, ...]]],
    viewer: uuid.UUID | None,
    indexes: list[int],
) -> dict[int, list[tuple[str, Json]]]:
    picks = [_read_of(key) for key in keys]
    reads = list(dict.fromkeys(picks))
    wanted = list(dict.fromkeys(concept_id for key in keys for concept_id in key.key))
    found = await paths.concepts_in_order(connection, ids=wanted, reads=reads, viewer=viewer)
    by_id = {uuid.UUID(concept_id): values for concept_id, values in found}
    answers = {}
    for index, key, pick in zip(indexes, keys, picks, strict=True):
        position = reads.index(pick)
        answers[index] = [(str(i), by_id[i][position]) for i in key.key if i in by_id]
    return answers
