"""The Relation type: a typed, weighted link from one concept to another."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from schema.info import Info
from schema.types.concept import ConceptType, concepts_of
from schema.types.enums import RelationKind
from schema.types.required import required

if TYPE_CHECKING:
    from persistence.sql.models import ConceptRelation

__all__ = ["RelationType"]


@strawberry.type(name="Relation", description="A link between two concepts, by kind.")
class RelationType:
    id: strawberry.ID = strawberry.field(description="The link's id.")
    kind: RelationKind = strawberry.field(description="What kind of link it is.")
    strength: float = strawberry.field(description="How strong the link is, 0..1.")
    reason: str | None = strawberry.field(description="Why the two are linked, if said.")
    source_id: strawberry.Private[uuid.UUID]
    target_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: ConceptRelation) -> RelationType:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=RelationKind(row.kind),
            strength=row.strength,
            reason=row.reason,
            source_id=row.source_id,
            target_id=row.target_id,
        )

    @strawberry.field(description="The concept the link starts at.")
    async def source(self, info: Info) -> ConceptType:
        return await _concept(info, self.source_id)

    @strawberry.field(description="The concept the link points to.")
    async def target(self, info: Info) -> ConceptType:
        return await _concept(info, self.target_id)


async def _concept(info: Info, concept_id: uuid.UUID) -> ConceptType:
    found = await concepts_of(info, [str(concept_id)])  # with the walks' concepts
    return required(found[0] if found else None, "concept")
