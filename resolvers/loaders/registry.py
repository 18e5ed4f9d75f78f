"""Per-request DataLoaders, one per batch function, made on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from resolvers.resources import ApiResources

__all__ = ["BatchFn", "Loaders", "grouped_by", "in_key_order"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")

BatchFn = Callable[[ApiResources, list[K]], Awaitable[Sequence[V]]]


class Loaders:
    """Hands out one DataLoader per batch function for the life of a request."""

    def __init__(self, resources: ApiResources) -> None:
        self._resources = resources
        self._made: dict[Any, DataLoader[Any, Any]] = {}

    def of(self, batch: BatchFn[K, V]) -> DataLoader[K, V]:
        if batch not in self._made:
            self._made[batch] = DataLoader(load_fn=partial(batch, self._resources))
        return self._made[batch]


def in_key_order(rows: Iterable[R], keys: Sequence[K], key: Callable[[R], K]) -> list[R | None]:
    """One row per key, in key order, None where a key has no row."""
    found = {key(row): row for row in rows}
    return [found.get(wanted) for wanted in keys]


def grouped_by(rows: Iterable[R], keys: Sequence[K], key: Callable[[R], K]) -> list[list[R]]:
    """Rows gathered per key, in key order, an empty list where a key has none."""
    groups: dict[K, list[R]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(wanted, []) for wanted in keys]
