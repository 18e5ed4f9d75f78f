"""One entity as each side holds it, and how the two compare."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from persistence.sync.hashing import content_hash

__all__ = ["Finding", "GraphItem", "SourceItem", "classify", "graph_hash", "row_properties"]

BOOKKEEPING = frozenset({"id", "version", "content_hash"})
ROW_KEYS = BOOKKEEPING | {"kind", "source_id", "target_id"}


class Finding(enum.StrEnum):
    IN_SYNC = "in_sync"
    MISSING = "missing"
    ORPHANED = "orphaned"
    STALE = "stale"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class SourceItem:
    """PostgreSQL's state, as the mirror's snapshot gives it to the graph."""

    id: str
    version: int
    content_hash: str
    properties: dict[str, Any]
    structure: dict[str, list[str]] | None = None  # the edges it hangs by (Mirror.structure)


@dataclass(frozen=True)
class GraphItem:
    """The graph's copy: its version and hash as synced, and the properties it holds now."""

    id: str
    version: int | None
    content_hash: str | None
    properties: dict[str, Any]
    removal: dict[str, Any] = field(default_factory=dict)  # what a mirror's remove needs
    structure: dict[str, list[str]] | None = None  # the edges it hangs by, sorted ids


def row_properties(row: dict[str, Any]) -> dict[str, Any]:
    """The mirrored properties of a snapshot row (the ones its content_hash covers)."""
    if "properties" in row:
        return dict(row["properties"])
    return {name: value for name, value in row.items() if name not in ROW_KEYS}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)  # Neo4j temporal and spatial values set from outside


def graph_properties(properties: dict[str, Any]) -> dict[str, Any]:
    """A graph entity's own properties, JSON-ready, without the sync's bookkeeping."""
    return {name: _plain(value) for name, value in properties.items() if name not in BOOKKEEPING}


def graph_hash(source: SourceItem, graph: GraphItem) -> str:
    """The hash of what the graph holds now, over the fields the source mirrors."""
    return content_hash({name: graph.properties.get(name) for name in source.properties})


def edited_outside(source: SourceItem, graph: GraphItem) -> bool:
    """The graph's content no longer matches what the sync wrote at its version."""
    newer = graph.version is not None and graph.version > source.version
    return newer or graph_hash(source, graph) != graph.content_hash


def classify(source: SourceItem | None, graph: GraphItem | None) -> Finding:
    if graph is None:
        return Finding.MISSING
    if source is None:
        return Finding.ORPHANED
    return _compare(source, graph)


def _compare(source: SourceItem, graph: GraphItem) -> Finding:
    if graph.version is None or graph.content_hash is None:
        return Finding.STALE  # a bare node an edge created before its own sync
    if edited_outside(source, graph):
        return Finding.CONFLICT
    if graph.version != source.version or graph.content_hash != source.content_hash:
        return Finding.STALE
    if source.structure != graph.structure:
        return _structure_finding(source.structure or {}, graph.structure or {})
    return Finding.IN_SYNC


def _structure_finding(source: dict[str, list[str]], graph: dict[str, list[str]]) -> Finding:
    """An edge the node should hang by is missing in the graph; else the graph has extra."""
    lacking = any(set(ids) - set(graph.get(name, [])) for name, ids in source.items())
    return Finding.MISSING if lacking else Finding.STALE
