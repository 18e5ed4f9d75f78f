"""Batch loads of learning path contents from SQL: one statement for every path in a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from persistence.sql.models import LearningPathItem
from resolvers.loaders.registry import read_rows

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["concept_counts_by_path"]

ITEMS = LearningPathItem.__table__.c


async def concept_counts_by_path(resources: ApiResources, keys: list[uuid.UUID]) -> list[int]:
    statement = (
        select(ITEMS.path_id, func.count().label("size"))
        .where(ITEMS.path_id.in_(keys))
        .group_by(ITEMS.path_id)
    )
    counts: dict[uuid.UUID, int] = {
        row.path_id: row.size for row in await read_rows(resources, statement)
    }
    return [counts.get(key, 0) for key in keys]
