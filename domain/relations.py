"""The kinds of link between concepts, as SQL names them and as the graph types them."""

from __future__ import annotations

__all__ = ["RELATION_KINDS", "RELATION_TYPES"]

# SQL `concept_relations.kind` -> the graph's relationship type (SPEC section 4).
RELATION_KINDS: dict[str, str] = {
    "prerequisite": "PREREQUISITE",
    "related_to": "RELATED_TO",
    "builds_upon": "BUILDS_UPON",
    "part_of": "PART_OF",
}
RELATION_TYPES: tuple[str, ...] = tuple(RELATION_KINDS.values())
