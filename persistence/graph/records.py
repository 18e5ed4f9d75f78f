"""Plain results of graph walks, shared by the Cypher readers and their SQL fallbacks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ItemRecord",
    "NeighborhoodRecord",
    "PathOrderRecord",
    "RelationRecord",
    "SharedRecord",
]


@dataclass(frozen=True)
class RelationRecord:
    """A typed link between two concepts; kind is the stored lowercase word."""

    id: str
    kind: str
    strength: float
    reason: str | None
    source_id: str
    target_id: str


@dataclass(frozen=True)
class ItemRecord:
    """A concept at its place in a learning path."""

    concept_id: str
    order_index: int
    is_required: bool


@dataclass(frozen=True)
class PathOrderRecord:
    """A learning path as the graph holds it: the version it was given, its items in order."""

    version: int
    items: list[ItemRecord]


@dataclass(frozen=True)
class NeighborhoodRecord:
    """Concept ids around a centre (the centre first) and the links between them."""

    node_ids: list[str]
    edges: list[RelationRecord]


@dataclass(frozen=True)
class SharedRecord:
    """A concept and the paths (by title) that contain it."""

    concept_id: str
    path_ids: list[str]
