"""Concept queries and authoring mutations."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import strawberry

from resolvers.commands import (
    ConceptChanges,
    ConceptDraft,
    ConceptFilters,
    RelationDraft,
    RelationKey,
)
from resolvers.concept_deletion import delete_concept
from resolvers.concepts import (
    concept_page,
    concept_stats,
    create_concept,
    update_concept,
)
from resolvers.relations import add_relation, remove_relation
from schema.concept_views import concept_views
from schema.info import Info
from schema.inputs import command, optional
from schema.limits import page_size
from schema.payloads import SyncedPayload
from schema.sql_answers import page_read_of
from schema.sql_subtrees import CONCEPT_SUBTREE, built
from schema.types.concept import ConceptType
from schema.types.enums import Difficulty, RelationKind
from schema.types.pagination import After, Connection, First, decode_cursor, page_connection
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
    description: str | None = optional("A short description.")
    detailed_description: str | None = optional("A longer description.")
    domain: str | None = optional("The field it belongs to, e.g. computer_science.")
    category: str | None = optional("Its category within the domain.")
    subcategory: str | None = optional("Its subcategory.")
    complexity_score: float | None = optional("How complex it is, 0..10.")
    cognitive_load: float | None = optional("How much it demands at once, 0..10.")
    key_terms: list[str] | None = optional("Terms a learner meets here.")
    synonyms: list[str] | None = optional("Other names for it.")
    learning_objectives: list[str] | None = optional("What a learner can do afterwards.")
    practical_applications: list[str] | None = optional("Where it is used.")
    real_world_examples: list[str] | None = optional("Examples from real life.")


@strawberry.input(
    description="A new concept: name, display name and difficulty, and any of the optional metadata."
)
class CreateConceptInput(ConceptDetailsInput):
    name: str = strawberry.field(description="Unique snake_case name, e.g. machine_learning.")
    display_name: str = strawberry.field(description="Its name for people, e.g. Machine Learning.")
    difficulty: Difficulty = strawberry.field(description="How hard it is.")
    description: str = strawberry.field(
        default="", description="A short description (empty when left out)."
    )


@strawberry.input(description="Any concept field but name; expectedVersion guards the update.")
class UpdateConceptInput(ConceptDetailsInput):
    display_name: str | None = optional("Its name for people.")
    difficulty: Difficulty | None = optional("How hard it is.")
    expected_version: int | None = optional("Refused with CONFLICT unless the current version.")


@strawberry.input(description="Narrows the concept list; search spans names, synonyms, key terms.")
class ConceptFilter:
    domain: str | None = optional("Only this domain.")
    category: str | None = optional("Only this category.")
    difficulty: Difficulty | None = optional("Only this difficulty.")
    search: str | None = optional(
        "Words to find in names, display names, synonyms or key terms (case-insensitive)."
    )


@strawberry.input(description="A new link between two concepts.")
class ConceptRelationInput:
    source_id: strawberry.ID = strawberry.field(description="The concept the link starts at.")
    target_id: strawberry.ID = strawberry.field(description="The concept it points to.")
    kind: RelationKind = strawberry.field(description="What kind of link.")
    strength: float = strawberry.field(default=1.0, description="Between 0 and 1.")
    reason: str | None = optional("Why the two are linked.")


@strawberry.input(description="Which link to remove: both ends and its kind.")
class ConceptRelationKeyInput:
    source_id: strawberry.ID = strawberry.field(description="The concept the link starts at.")
    target_id: strawberry.ID = strawberry.field(description="The concept it points to.")
    kind: RelationKind = strawberry.field(description="What kind of link.")


@strawberry.type(description="How learners fare on a concept.")
class ConceptStat:
    concept: ConceptType = strawberry.field(description="The concept.")
    learners: int = strawberry.field(description="Learners with progress on it.")
    average_progress: float = strawberry.field(description="Mean progress percent, 0..100.")
    completion_rate: float = strawberry.field(description="Share completed or mastered, 0..1.")


@strawberry.type(description="The result of creating or updating a concept.")
class ConceptPayload(SyncedPayload):
    concept: ConceptType | None = strawberry.field(
        default=None, description="The concept as written; null on failure."
    )


@strawberry.type(description="The result of deleting a concept.")
class ConceptDeletion(SyncedPayload):
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the deleted concept; null on failure."
    )


@strawberry.type(description="The result of linking two concepts.")
class RelationPayload(SyncedPayload):
    relation: RelationType | None = strawberry.field(
        default=None, description="The link as written; null on failure."
    )


@strawberry.type(description="The result of removing a link.")
class RelationRemovalPayload(SyncedPayload):
    removed: bool = strawberry.field(
        default=False, description="Whether a link was removed (false: there was none)."
    )


@strawberry.type
class ConceptQuery:
    @strawberry.field(description="A concept by its unique name.")
    async def concept(
        self,
        info: Info,
        name: Annotated[
            str,
            strawberry.argument(description="The concept's unique name, e.g. machine_learning."),
        ],
    ) -> ConceptType | None:
        return await concept_views(info, name)

    @strawberry.field(description="Concepts by name, filtered and paginated.")
    async def concepts(
        self,
        info: Info,
        filter: Annotated[
            ConceptFilter | None,
            strawberry.argument(description="Narrow the list; all concepts without it."),
        ] = None,  # the contract names it filter
        first: First = None,
        after: After = None,
    ) -> Connection[ConceptType]:
        start = decode_cursor(after)
        filters = command(filter, ConceptFilters) if filter else ConceptFilters()
        pick = page_read_of(CONCEPT_SUBTREE, info)
        limit = page_size(info, first)
        page = await concept_page(info.context, filters, offset=start, limit=limit, pick=pick)
        return page_connection(
            page.rows,
            start=start,
            limit=limit,
            total=page.total,
            to_node=partial(built, CONCEPT_SUBTREE),
        )

    @strawberry.field(
        description="Learners, average progress and completion rate per concept, most learners"
        " first. For learners and anonymous callers only concepts with at least"
        " LG_STATS_MIN_LEARNERS learners (default 5) are shown, so no figure exposes one person;"
        " teachers and admins see every concept with learners."
    )
    async def concept_stats(self, info: Info, first: First = None) -> list[ConceptStat]:
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
        self,
        info: Info,
        input: Annotated[CreateConceptInput, strawberry.argument(description="The new concept.")],
    ) -> ConceptPayload:  # the contract names it input
        written = await create_concept(info.context, command(input, ConceptDraft))
        return ConceptPayload(
            concept=ConceptType.from_row(written.concept), sync_token=written.sync_token
        )

    @strawberry.mutation(description="Change a concept's fields but its name (teachers, admins).")
    async def update_concept(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The concept's id.")],
        input: Annotated[
            UpdateConceptInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> ConceptPayload:
        written = await update_concept(info.context, id, command(input, ConceptChanges))
        return ConceptPayload(
            concept=ConceptType.from_row(written.concept), sync_token=written.sync_token
        )

    @strawberry.mutation(description="Delete a concept with its links (teachers, admins).")
    async def delete_concept(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The concept's id.")],
    ) -> ConceptDeletion:
        deleted = await delete_concept(info.context, id)
        return ConceptDeletion(
            deleted_id=strawberry.ID(str(deleted.deleted_id)), sync_token=deleted.sync_token
        )

    @strawberry.mutation(description="Link two concepts; prerequisite cycles are refused.")
    async def add_concept_relation(
        self,
        info: Info,
        input: Annotated[ConceptRelationInput, strawberry.argument(description="The new link.")],
    ) -> RelationPayload:
        written = await add_relation(info.context, command(input, RelationDraft))
        return RelationPayload(
            relation=RelationType.from_row(written.relation), sync_token=written.sync_token
        )

    @strawberry.mutation(description="Remove the link between two concepts of this kind.")
    async def remove_concept_relation(
        self,
        info: Info,
        input: Annotated[
            ConceptRelationKeyInput, strawberry.argument(description="Which link to remove.")
        ],
    ) -> RelationRemovalPayload:
        removal = await remove_relation(info.context, command(input, RelationKey))
        return RelationRemovalPayload(removed=removal.removed, sync_token=removal.sync_token)
