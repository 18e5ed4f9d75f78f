"""Concept queries and authoring mutations."""

from __future__ import annotations

import strawberry

from resolvers.concepts import concept_by_name, create_concept
from schema.errors import UserError
from schema.info import Info
from schema.payloads import input_fields, returning_errors
from schema.types.concept import ConceptType
from schema.types.enums import Difficulty

__all__ = ["ConceptMutation", "ConceptQuery", "CreateConceptInput"]


@strawberry.input
class CreateConceptInput:
    name: str = strawberry.field(description="Unique snake_case name, e.g. machine_learning.")
    display_name: str
    difficulty: Difficulty
    description: str = ""
    detailed_description: str | None = strawberry.UNSET
    domain: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    subcategory: str | None = strawberry.UNSET
    complexity_score: float | None = strawberry.UNSET
    cognitive_load: float | None = strawberry.UNSET
    key_terms: list[str] | None = strawberry.UNSET
    synonyms: list[str] | None = strawberry.UNSET
    learning_objectives: list[str] | None = strawberry.UNSET
    practical_applications: list[str] | None = strawberry.UNSET
    real_world_examples: list[str] | None = strawberry.UNSET


@strawberry.type
class ConceptPayload:
    concept: ConceptType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConceptQuery:
    @strawberry.field(description="A concept by its unique name.")
    async def concept(self, info: Info, name: str) -> ConceptType | None:
        row = await concept_by_name(info.context, name)
        return ConceptType.from_row(row) if row else None


@strawberry.type
class ConceptMutation:
    @strawberry.mutation(description="Create a concept (teachers and admins).")
    async def create_concept(
        self, info: Info, input: CreateConceptInput
    ) -> ConceptPayload:  # the contract names it input
        async def work() -> ConceptPayload:
            written = await create_concept(info.context, input_fields(input))
            return ConceptPayload(
                concept=ConceptType.from_row(written.concept), sync_token=written.sync_token
            )

        return await returning_errors(work, ConceptPayload)
