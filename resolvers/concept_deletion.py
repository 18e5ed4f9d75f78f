"""Deleting a concept: its relations, progress and path items go too (the unit of work tells
the graph of each row the database cascades to)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text, update

from persistence.sql.models import LearningPath, LearningPathItem
from resolvers import policy
from resolvers.concepts import locked_concept
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = ["ConceptDeletion", "delete_concept"]


@dataclass(frozen=True)
class ConceptDeletion:
    deleted_id: uuid.UUID
    sync_token: str | None


async def delete_concept(context: Context, raw_id: str) -> ConceptDeletion:
    """Deletes a concept with its relations and path items, telling the graph of each."""
    principal = policy.author(context.principal)
    async with context.unit_of_work() as uow:
        concept = await locked_concept(uow.session, principal, raw_id)
        concept_id = concept.id
        path_ids = list(
            await uow.session.scalars(
                select(LearningPathItem.path_id).where(LearningPathItem.concept_id == concept_id)
            )
        )
        await uow.session.delete(concept)
        await uow.session.flush()
        await _paths_lost_an_item(uow, path_ids)
        committed = await uow.commit()
    return ConceptDeletion(deleted_id=concept_id, sync_token=sync_token(committed))


# Items are moved out of the way first: a one-step renumbering could collide with the
# (path_id, order_index) unique constraint, which PostgreSQL checks row by row.
PARK_ITEMS = text(
    "UPDATE learning_path_items SET order_index = order_index + 1000000"
    " WHERE path_id = ANY(:path_ids)"
)
CLOSE_GAPS = text(
    "UPDATE learning_path_items AS item SET order_index = ranked.position"
    " FROM (SELECT path_id, concept_id,"
    " row_number() OVER (PARTITION BY path_id ORDER BY order_index) - 1 AS position"
    " FROM learning_path_items WHERE path_id = ANY(:path_ids)) AS ranked"
    " WHERE item.path_id = ranked.path_id AND item.concept_id = ranked.concept_id"
)


async def _paths_lost_an_item(uow: UnitOfWork, path_ids: list[uuid.UUID]) -> None:
    """Renumbers the remaining items 0..n-1; the paths changed with them (a new version)."""
    if not path_ids:
        return
    await uow.session.execute(PARK_ITEMS, {"path_ids": path_ids})
    await uow.session.execute(CLOSE_GAPS, {"path_ids": path_ids})
    await uow.session.execute(
        update(LearningPath).where(LearningPath.id.in_(path_ids)).values(updated_at=func.now())
    )
