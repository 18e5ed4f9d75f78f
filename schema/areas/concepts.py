"""Concept queries and authoring mutations."""

from __future__ import annotations

import strawberry

from resolvers.concept_deletion import delete_concept
from resolvers.concepts import (
    concept_by_name,
    concept_page,
    concept_stats,
    create_concept,
    update_concept,
)
from resolvers.relations import add_relation, remove_relation
from schema.errors import UserError
from schema.info import Info
from schema.limits import page_size
from schema.payloads import input_fields, returning_errors
from schema.types.concept import ConceptType
from schema.types.enums import Difficulty, RelationKind
from schema.types.pagination import Connection, build_connection, decode_cursor
from schema.types.relation import RelationType

__all__ = [
    "ConceptFilter",
    "ConceptMutation",
    "ConceptQuery",
    "ConceptRelationInput",
    "ConceptRelationKeyInput",
    "ConceptStat",
    "CreateConceptInput",
    "UpdateConceptInput",
]


@strawberry.input(description="The optional metadata of a concept, shared by create and update.")
class ConceptDetailsInput:
    description: str | None = strawberry.UNSET
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


@strawberry.input
class CreateConceptInput(ConceptDetailsInput):
    name: str = strawberry.field(description="Unique snake_case name, e.g. machine_learning.")
    display_name: str
    difficulty: Difficulty
    description: str = ""


@strawberry.input(description="Any concept field but name; expectedVersion guards the update.")
class UpdateConceptInput(ConceptDetailsInput):
    display_name: str | None = strawberry.UNSET
    difficulty: Difficulty | None = strawberry.UNSET
    expected_version: int | None = strawberry.field(
        default=strawberry.UNSET, description="Refused with CONFLICT unless the current version."
    )


@strawberry.input(description="Narrows the concept list; search spans names, synonyms, key terms.")
class ConceptFilter:
    domain: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    difficulty: Difficulty | None = strawberry.UNSET
    search: str | None = strawberry.UNSET


@strawberry.input
class ConceptRelationInput:
    source_id: strawberry.ID
    target_id: strawberry.ID
    kind: RelationKind
    strength: float = strawberry.field(default=1.0, description="Between 0 and 1.")
    reason: str | None = strawberry.UNSET


@strawberry.input
class ConceptRelationKeyInput:
    source_id: strawberry.ID
    target_id: strawberry.ID
    kind: RelationKind


@strawberry.type(description="How learners fare on a concept.")
class ConceptStat:
    concept: ConceptType
    learners: int
    average_progress: float = strawberry.field(description="Mean progress percent, 0..100.")
    completion_rate: float = strawberry.field(description="Share completed or mastered, 0..1.")


@strawberry.type
class ConceptPayload:
    concept: ConceptType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConceptDeletion:
    deleted_id: strawberry.ID | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RelationPayload:
    relation: RelationType | None = None
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RelationRemovalPayload:
    removed: bool = False
    sync_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConceptQuery:
    @strawberry.field(description="A concept by its unique name.")
    async def concept(self, info: Info, name: str) -> ConceptType | None:
        row = await concept_by_name(info.context, name)
        return ConceptType.from_row(row) if row else None

    @strawberry.field(description="Concepts by name, filtered and paginated.")
    async def concepts(
        self,
        info: Info,
        filter: ConceptFilter | None = None,  # the contract names it filter
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ConceptType]:
        start = decode_cursor(after)
        filters = input_fields(filter) if filter else {}
        page = await concept_page(info.context, filters, offset=start, limit=page_size(info, first))
        return build_connection(
            page.rows, start=start, total=page.total, to_node=ConceptType.from_row
        )

    @strawberry.field(description="Learners, average progress and completion rate per concept.")
    async def concept_stats(self, info: Info, first: int | None = None) -> list[ConceptStat]:
        rows = await concept_stats(info.context, limit=page_size(info, first))
        return [
            ConceptStat(
                concept=ConceptType.from_row(row.concept),
                learners=row.learners,
                average_progress=row.average_progress,
                completion_rate=row.completion_rate,
            )
            for row in rows
        ]


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

    @strawberry.mutation(description="Change a concept's fields but its name (teachers, admins).")
    async def update_concept(
        self, info: Info, id: strawberry.ID, input: UpdateConceptInput
    ) -> ConceptPayload:
        async def work() -> ConceptPayload:
            written = await update_concept(info.context, id, input_fields(input))
            return ConceptPayload(
                concept=ConceptType.from_row(written.concept), sync_token=written.sync_token
            )

        return await returning_errors(work, ConceptPayload)

    @strawberry.mutation(description="Delete a concept with its links (teachers, admins).")
    async def delete_concept(self, info: Info, id: strawberry.ID) -> ConceptDeletion:
        async def work() -> ConceptDeletion:
            deleted = await delete_concept(info.context, id)
            return ConceptDeletion(
                deleted_id=strawberry.ID(str(deleted.deleted_id)), sync_token=deleted.sync_token
            )

        return await returning_errors(work, ConceptDeletion)

    @strawberry.mutation(description="Link two concepts; prerequisite cycles are refused.")
    async def add_concept_relation(
        self, info: Info, input: ConceptRelationInput
    ) -> RelationPayload:
        async def work() -> RelationPayload:
            written = await add_relation(info.context, input_fields(input))
            return RelationPayload(
                relation=RelationType.from_row(written.relation), sync_token=written.sync_token
            )

        return await returning_errors(work, RelationPayload)

    @strawberry.mutation(description="Remove the link between two concepts of this kind.")
    async def remove_concept_relation(
        self, info: Info, input: ConceptRelationKeyInput
    ) -> RelationRemovalPayload:
        async def work() -> RelationRemovalPayload:
            removal = await remove_relation(info.context, input_fields(input))
            return RelationRemovalPayload(removed=removal.removed, sync_token=removal.sync_token)

        return await returning_errors(work, RelationRemovalPayload)
