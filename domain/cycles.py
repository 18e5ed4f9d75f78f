"""Prerequisite cycles: whether a new source -> target link would close a loop."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

__all__ = ["closes_cycle", "reachable_from"]

K = TypeVar("K", bound=Hashable)


def reachable_from(start: K, edges: Iterable[tuple[K, K]]) -> set[K]:
    """Every node at the end of a walk of one or more edges (source -> target) from start.

    start itself is included only when it lies on a loop.
    """
    following: dict[K, list[K]] = defaultdict(list)
    for source, target in edges:
        following[source].append(target)
    seen: set[K] = set()
    waiting = list(following[start])
    while waiting:
        node = waiting.pop()
        if node not in seen:
            seen.add(node)
            waiting.extend(following[node])
    return seen


def closes_cycle(source: K, target: K, edges: Iterable[tuple[K, K]]) -> bool:
    """True when adding source -> target to edges makes a loop: source is reachable from target.

    A self link (source == target) is a loop of its own.
    """
    return source == target or source in reachable_from(target, edges)
