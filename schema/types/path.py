"""The LearningPath type: its metadata (SQL) and ordered concepts (graph, SQL fallback)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import strawberry

from resolvers.loaders.json_reads import Picked, concepts_in_order
from resolvers.loaders.path_items import ItemsKey, ReadItem, path_items
from resolvers.loaders.paths import concept_counts_by_path
from schema.extensions.degraded import field_path
from schema.info import Info
from schema.sql_answers import read_of
from schema.sql_subtrees import CONCEPT_SUBTREE, built
from schema.stitched import stitch_of, stitched
from schema.types.concept import ConceptType
from schema.types.enums import Difficulty
from schema.types.path_learning import PathLearnerFields

if TYPE_CHECKING:
    from persistence.sql.models import LearningPath

__all__ = ["LearningPathType", "PathItemType"]

# a path item's plain values, by GraphQL name (an int and a boolean, written as they are)
ITEM_VALUES = {"orderIndex": "order_index", "isRequired": "is_required"}


@strawberry.type(name="PathItem", description="A concept at its place in a learning path.")
class PathItemType:
    order_index: int = strawberry.field(description="Its place in the path, from 0.")
    is_required: bool = strawberry.field(description="Whether the path's progress counts it.")
    concept: ConceptType = strawberry.field(description="The concept.")


@strawberry.type(name="LearningPath", description="Concepts to learn in a given order.")
class LearningPathType(PathLearnerFields):
    id: strawberry.ID = strawberry.field(description="The path's id.")
    title: str = strawberry.field(description="Its unique title.")
    description: str = strawberry.field(description="What it leads to; may be empty.")
    category: str | None = strawberry.field(description="Its category, if any.")
    difficulty: Difficulty = strawberry.field(description="How hard it is.")
    estimated_hours: float | None = strawberry.field(
        description="Expected study time, if estimated."
    )
    target_audience: str | None = strawberry.field(description="Who it is for, if said.")
    version: int = strawberry.field(description="Grows by one on each change of the path.")

    @classmethod
    def from_row(cls, row: LearningPath) -> LearningPathType:
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            category=row.category,
            difficulty=Difficulty(row.difficulty),
            estimated_hours=row.estimated_hours,
            target_audience=row.target_audience,
            version=row.version,
        )

    @strawberry.field(
        description="The path's concepts in learning order (from the graph once it holds "
        "this version of the path, from SQL until then or when the graph is unavailable)."
    )
    async def concepts(self, info: Info) -> list[PathItemType]:
        stitch = stitch_of(CONCEPT_SUBTREE, info, attributes=ITEM_VALUES, nested="concept")
        pick = (stitch and stitch.answer) or read_of(CONCEPT_SUBTREE, info, "concept")
        key = Picked(ItemsKey(str(self.id), self.version), pick, info.context.viewer_id)
        items = await path_items(info.context, field_path(info), key)
        concepts = await _concepts_of(info, items, key)
        # an item whose concept is gone from SQL while the graph still had it is left out
        kept = [item for item in items if item.concept_id in concepts]
        if stitch is not None:
            written: list[PathItemType] = stitched(stitch, kept, lambda i: concepts[i.concept_id])
            return written
        return [
            PathItemType(
                order_index=item.order_index,
                is_required=item.is_required,
                concept=built(CONCEPT_SUBTREE, concepts[item.concept_id]),
            )
            for item in kept
        ]

    @strawberry.field(description="How many concepts the path holds.")
    async def concept_count(self, info: Info) -> int:
        return await info.context.loaders.of(concept_counts_by_path).load(uuid.UUID(str(self.id)))


async def _concepts_of(info: Info, items: list[ReadItem], key: Picked[ItemsKey]) -> dict[str, Any]:
    """The items' concepts as picked, by id: as SQL read them with the items, else in one load
    (the concepts a newer graph lists than SQL read)."""
    read = {item.concept_id: item.concept for item in items if item.concept is not None}
    unread = tuple(uuid.UUID(item.concept_id) for item in items if item.concept_id not in read)
    if unread:
        wanted = Picked(unread, key.pick, key.viewer)
        found = await info.context.loaders.of(concepts_in_order).load(wanted)
        read |= dict(found)
    return read
