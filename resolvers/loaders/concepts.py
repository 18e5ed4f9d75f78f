"""Batch loads of concepts from SQL, by id and by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import Concept
from resolvers.loaders.registry import in_key_order, read_session

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["concepts_by_id", "concepts_by_name"]


async def concepts_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Concept | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(Concept).where(Concept.id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda concept: concept.id)


async def concepts_by_name(resources: ApiResources, keys: list[str]) -> list[Concept | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(Concept).where(Concept.name.in_(keys)))
        return in_key_order(rows.all(), keys, lambda concept: concept.name)
