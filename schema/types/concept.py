"""The Concept type: metadata from SQL, links and walks from the graph (SQL when it is down)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import graph_reads
from resolvers.loaders.json_reads import Picked, concepts_in_order
from schema.extensions.degraded import field_path
from schema.info import Info
from schema.limits import checked_depth
from schema.sql_answers import read_of
from schema.sql_subtrees import CONCEPT_SUBTREE, built
from schema.types.concept_learning import ConceptLearnerFields
from schema.types.enums import Difficulty, RelationKind

if TYPE_CHECKING:
    from persistence.sql.models import Concept
    from schema.types.path import LearningPathType
    from schema.types.relation import RelationType

__all__ = ["ConceptType", "concepts_of"]

Relation = Annotated["RelationType", strawberry.lazy("schema.types.relation")]
Path = Annotated["LearningPathType", strawberry.lazy("schema.types.path")]


@strawberry.type(name="Concept", description="A unit of knowledge, addressed by id or unique name.")
class ConceptType(ConceptLearnerFields):
    id: strawberry.ID = strawberry.field(description="The concept's id.")
    name: str = strawberry.field(description="Its unique snake_case name, e.g. machine_learning.")
    display_name: str = strawberry.field(description="Its name for people, e.g. Machine Learning.")
    description: str = strawberry.field(description="A short description; may be empty.")
    detailed_description: str | None = strawberry.field(
        description="A longer description, if written."
    )
    domain: str | None = strawberry.field(
        description="The field it belongs to, e.g. computer_science."
    )
    category: str | None = strawberry.field(description="Its category within the domain.")
    subcategory: str | None = strawberry.field(description="Its subcategory within the category.")
    difficulty: Difficulty = strawberry.field(description="How hard it is.")
    complexity_score: float | None = strawberry.field(
        description="How complex it is, 0..10, if rated."
    )
    cognitive_load: float | None = strawberry.field(
        description="How much it demands at once, 0..10, if rated."
    )
    key_terms: list[str] = strawberry.field(description="Terms a learner meets here.")
    synonyms: list[str] = strawberry.field(description="Other names for it (search finds them).")
    learning_objectives: list[str] = strawberry.field(
        description="What a learner can do afterwards."
    )
    practical_applications: list[str] = strawberry.field(description="Where it is used.")
    real_world_examples: list[str] = strawberry.field(description="Examples from real life.")
    version: int = strawberry.field(
        description="Grows by one on each change; pass it as expectedVersion to guard an update."
    )

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
    async def prerequisites(
        self,
        info: Info,
        depth: Annotated[
            int,
            strawberry.argument(
                description="How many links back, 1 to the server's traversal depth."
            ),
        ] = 1,
    ) -> list[ConceptType]:
        depth = checked_depth(info, "depth", depth)
        ids = await graph_reads.walk(info.context, field_path(info), str(self.id), depth)
        return await concepts_of(info, ids)

    @strawberry.field(
        description="Every transitive prerequisite (up to the server's traversal depth), "
        "ordered so that each comes after its own prerequisites."
    )
    async def prerequisite_chain(self, info: Info) -> list[ConceptType]:
        ids = await graph_reads.chain(info.context, field_path(info), str(self.id))
        return await concepts_of(info, ids)

    @strawberry.field(description="Concepts that need this one, up to depth, nearest first.")
    async def dependents(
        self,
        info: Info,
        depth: Annotated[
            int,
            strawberry.argument(
                description="How many links forward, 1 to the server's traversal depth."
            ),
        ] = 1,
    ) -> list[ConceptType]:
        depth = checked_depth(info, "depth", depth)
        ids = await graph_reads.walk(
            info.context, field_path(info), str(self.id), depth, dependents=True
        )
        return await concepts_of(info, ids)

    @strawberry.field(description="Concepts related to this one (either direction), by name.")
    async def related(self, info: Info) -> list[ConceptType]:
        ids = await graph_reads.linked(info.context, field_path(info), str(self.id), link="related")
        return await concepts_of(info, ids)

    @strawberry.field(description="Concepts this one builds upon, by name.")
    async def builds_upon(self, info: Info) -> list[ConceptType]:
        ids = await graph_reads.linked(
            info.context, field_path(info), str(self.id), link="builds_upon"
        )
        return await concepts_of(info, ids)

    @strawberry.field(description="Every link that starts or ends here, by kind.")
    async def relations(self, info: Info) -> list[Relation]:
        from schema.types.relation import RelationType

        records = await graph_reads.relations(info.context, field_path(info), str(self.id))
        return [
            RelationType(
                id=strawberry.ID(record.id),
                kind=RelationKind(record.kind),
                strength=record.strength,
                reason=record.reason,
                source_id=uuid.UUID(record.source_id),
                target_id=uuid.UUID(record.target_id),
            )
            for record in records
        ]

    @strawberry.field(description="The learning paths that contain this concept, by title.")
    async def learning_paths(self, info: Info) -> list[Path]:
        from schema.types.path import LearningPathType

        rows = await graph_reads.paths_of_concept(info.context, field_path(info), str(self.id))
        return [LearningPathType.from_row(row) for row in rows]


async def concepts_of(info: Info, ids: list[str]) -> list[ConceptType]:
    """The concepts of these ids that SQL still has, in that order, as the current field
    selects them (a SQL subtree: schema/sql_subtrees.py, the answer's own text when
    PostgreSQL can write it); the walks of an operation share one statement."""
    if not ids:
        return []
    wanted = tuple(uuid.UUID(value) for value in ids)
    key = Picked(wanted, read_of(CONCEPT_SUBTREE, info), info.context.viewer_id)
    found = await info.context.loaders.of(concepts_in_order).load(key)
    return [built(CONCEPT_SUBTREE, value) for _, value in found]
