"""A valid learning order: every concept after its own prerequisites."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ChainNode", "learning_order"]


@dataclass(frozen=True)
class ChainNode:
    """A concept of a prerequisite chain and which of the chain's concepts it needs first."""

    id: str
    name: str
    prerequisite_ids: frozenset[str] = field(default_factory=frozenset)


def learning_order(nodes: Sequence[ChainNode]) -> list[str]:
    """Ids ordered so that each comes after its prerequisites; ties go by name.

    Prerequisites outside `nodes` are ignored. Should the links hold a cycle (which authoring
    refuses), the concepts on it follow the rest, by name, rather than being lost.
    """
    by_id = {node.id: node for node in nodes}
    waiting = {node.id: set(node.prerequisite_ids) & by_id.keys() - {node.id} for node in nodes}
    needed_by: dict[str, list[str]] = {node_id: [] for node_id in by_id}
    for node_id, needs in waiting.items():
        for need in needs:
            needed_by[need].append(node_id)
    ready = [(by_id[node_id].name, node_id) for node_id, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, node_id = heapq.heappop(ready)
        ordered.append(node_id)
        for later in needed_by[node_id]:
            waiting[later].discard(node_id)
            if not waiting[later]:
                heapq.heappush(ready, (by_id[later].name, later))
    placed = set(ordered)
    stuck = sorted((node.name, node.id) for node in nodes if node.id not in placed)
    return ordered + [node_id for _, node_id in stuck]
