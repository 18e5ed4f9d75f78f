"""Batch loads of learning path contents from SQL: one statement for every path in a request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from persistence.sql.models import Concept, LearningPathItem
from resolvers.loaders.registry import grouped_by, read_session

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["PathItem", "concept_counts_by_path", "items_by_path"]


@dataclass(frozen=True)
class PathItem:
    """One concept of a path, at its place in the learning order."""

    order_index: int
    is_required: bool
    concept: Concept
    path_id: uuid.UUID


async def items_by_path(resources: ApiResources, keys: list[uuid.UUID]) -> list[list[PathItem]]:
    """Each path's items with their concepts, in learning order."""
    statement = (
        select(LearningPathItem, Concept)
        .join(Concept, Concept.id == LearningPathItem.concept_id)
        .where(LearningPathItem.path_id.in_(keys))
        .order_by(LearningPathItem.path_id, LearningPathItem.order_index)
    )
    async with read_session(resources) as session:
        rows = (await session.execute(statement)).all()
    items = [
        PathItem(item.order_index, item.is_required, concept, item.path_id)
        for item, concept in rows
    ]
    return grouped_by(items, keys, lambda item: item.path_id)


async def concept_counts_by_path(resources: ApiResources, keys: list[uuid.UUID]) -> list[int]:
    statement = (
        select(LearningPathItem.path_id, func.count())
        .where(LearningPathItem.path_id.in_(keys))
        .group_by(LearningPathItem.path_id)
    )
    async with read_session(resources) as session:
        counts: dict[uuid.UUID, int] = {
            path_id: count for path_id, count in await session.execute(statement)
        }
    return [counts.get(key, 0) for key in keys]
