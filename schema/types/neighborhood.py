"""Graph shapes returned by root queries: a neighbourhood for drawing, shared concepts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from schema.types.concept import ConceptType
from schema.types.enums import RelationKind
from schema.types.path import LearningPathType

if TYPE_CHECKING:
    from persistence.graph.records import RelationRecord
    from resolvers.graph_reads import Neighborhood, SharedConcept

__all__ = ["NeighborhoodEdgeType", "NeighborhoodType", "SharedConceptType"]


@strawberry.type(name="NeighborhoodEdge", description="A typed link between two drawn concepts.")
class NeighborhoodEdgeType:
    source: strawberry.ID = strawberry.field(description="The id of the concept it starts at.")
    target: strawberry.ID = strawberry.field(description="The id of the concept it points to.")
    kind: RelationKind = strawberry.field(description="What kind of link it is.")
    strength: float = strawberry.field(description="How strong the link is, 0..1.")

    @classmethod
    def from_record(cls, record: RelationRecord) -> NeighborhoodEdgeType:
        return cls(
            source=strawberry.ID(record.source_id),
            target=strawberry.ID(record.target_id),
            kind=RelationKind(record.kind),
            strength=record.strength,
        )


@strawberry.type(name="Neighborhood", description="Concepts around a centre and their links.")
class NeighborhoodType:
    nodes: list[ConceptType] = strawberry.field(
        description="The centre first, then the others nearest first."
    )
    edges: list[NeighborhoodEdgeType] = strawberry.field(
        description="Every link between two of the nodes."
    )

    @classmethod
    def from_result(cls, found: Neighborhood) -> NeighborhoodType:
        return cls(
            nodes=[ConceptType.from_row(row) for row in found.concepts],
            edges=[NeighborhoodEdgeType.from_record(edge) for edge in found.edges],
        )


@strawberry.type(name="SharedConcept", description="A concept that several paths contain.")
class SharedConceptType:
    concept: ConceptType = strawberry.field(description="The concept.")
    paths: list[LearningPathType] = strawberry.field(
        description="The paths containing it, by title."
    )
    path_count: int = strawberry.field(description="How many paths contain it.")

    @classmethod
    def from_result(cls, found: SharedConcept) -> SharedConceptType:
        paths = [LearningPathType.from_row(row) for row in found.paths]
        return cls(concept=ConceptType.from_row(found.concept), paths=paths, path_count=len(paths))
