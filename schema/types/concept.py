"""The Concept type: metadata from SQL, links and walks from the graph."""

from __future__ import annotations

import uuid

import strawberry

from persistence.sql.models import Concept
from resolvers.concepts import concepts_by_ids
from resolvers.loaders.graph import prerequisites
from schema.info import Info
from schema.limits import checked_depth
from schema.types.concept_learning import ConceptLearnerFields
from schema.types.enums import Difficulty

__all__ = ["ConceptType"]


@strawberry.type(name="Concept", description="A unit of knowledge, addressed by id or unique name.")
class ConceptType(ConceptLearnerFields):
    id: strawberry.ID
    name: str
    display_name: str
    description: str
    detailed_description: str | None
    domain: str | None
    category: str | None
    subcategory: str | None
    difficulty: Difficulty
    complexity_score: float | None
    cognitive_load: float | None
    key_terms: list[str]
    synonyms: list[str]
    learning_objectives: list[str]
    practical_applications: list[str]
    real_world_examples: list[str]
    version: int

    @classmethod
    def from_row(cls, row: Concept) -> ConceptType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            display_name=row.display_name,
            description=row.description,
            detailed_description=row.detailed_description,
            domain=row.domain,
            category=row.category,
            subcategory=row.subcategory,
            difficulty=Difficulty(row.difficulty),
            complexity_score=row.complexity_score,
            cognitive_load=row.cognitive_load,
            key_terms=list(row.key_terms),
            synonyms=list(row.synonyms),
            learning_objectives=list(row.learning_objectives),
            practical_applications=list(row.practical_applications),
            real_world_examples=list(row.real_world_examples),
            version=row.version,
        )

    @strawberry.field(description="Transitive prerequisites up to depth, nearest first.")
    async def prerequisites(self, info: Info, depth: int = 1) -> list[ConceptType]:
        depth = checked_depth(info, "depth", depth)
        ids = await info.context.loaders.of(prerequisites).load((str(self.id), depth))
        return await concepts_as_types(info, ids)


async def concepts_as_types(info: Info, ids: list[str]) -> list[ConceptType]:
    rows = await concepts_by_ids(info.context, [uuid.UUID(value) for value in ids])
    return [ConceptType.from_row(row) for row in rows]
