"""The kinds of link between concepts, as SQL names them and as the graph types them."""

from __future__ import annotations

import enum

__all__ = ["RELATION_KINDS", "RELATION_TYPES", "RelationKind"]


class RelationKind(enum.StrEnum):
    """SQL's `concept_relations.kind`; the graph's relationship type is its name (SPEC section 4)."""

    PREREQUISITE = "prerequisite"
    RELATED_TO = "related_to"
    BUILDS_UPON = "builds_upon"
    PART_OF = "part_of"

    @property
    def graph_type(self) -> str:
        return self.name


# SQL `concept_relations.kind` -> the graph's relationship type.
RELATION_KINDS: dict[RelationKind, str] = {kind: kind.graph_type for kind in RelationKind}
RELATION_TYPES: tuple[str, ...] = tuple(RELATION_KINDS.values())
