"""What to learn next: a recommended concept or learning path, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from resolvers.recommendations import ConceptRecommendation, PathRecommendation
    from schema.types.concept import ConceptType
    from schema.types.path import LearningPathType

__all__ = ["PathRecommendationType", "RecommendationType"]

LazyConcept = Annotated["ConceptType", strawberry.lazy("schema.types.concept")]
LazyPath = Annotated["LearningPathType", strawberry.lazy("schema.types.path")]


@strawberry.type(
    name="Recommendation",
    description="A concept whose prerequisites the learner has all completed.",
)
class RecommendationType:
    concept: LazyConcept = strawberry.field(description="The concept to learn next.")
    score: float = strawberry.field(description="Higher is a better next step.")
    reason: str = strawberry.field(description="Why it is recommended, in words.")

    @classmethod
    def from_found(cls, found: ConceptRecommendation) -> RecommendationType:
        from schema.types.concept import ConceptType

        return cls(
            concept=ConceptType.from_row(found.concept), score=found.score, reason=found.reason
        )


@strawberry.type(
    name="PathRecommendation",
    description="A learning path sharing concepts the learner completed, not yet joined.",
)
class PathRecommendationType:
    path: LazyPath = strawberry.field(description="The learning path.")
    shared_concepts: int = strawberry.field(
        description="How many of the path's concepts the learner has completed."
    )

    @classmethod
    def from_found(cls, found: PathRecommendation) -> PathRecommendationType:
        from schema.types.path import LearningPathType

        return cls(
            path=LearningPathType.from_row(found.path), shared_concepts=found.shared_concepts
        )
