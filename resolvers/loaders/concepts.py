"""Batch loads of concepts from SQL, by id and by name, as plain rows (registry.read_models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.models import Concept
from resolvers.loaders.registry import in_key_order, read_models, rows_of

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["concepts_by_id", "concepts_by_name"]

COLUMNS = Concept.__table__.c


async def concepts_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[Concept | None]:
    rows = await read_models(resources, Concept, rows_of(Concept).where(COLUMNS.id.in_(keys)))
    return in_key_order(rows, keys, lambda concept: concept.id)


async def concepts_by_name(resources: ApiResources, keys: list[str]) -> list[Concept | None]:
    rows = await read_models(resources, Concept, rows_of(Concept).where(COLUMNS.name.in_(keys)))
    return in_key_order(rows, keys, lambda concept: concept.name)
