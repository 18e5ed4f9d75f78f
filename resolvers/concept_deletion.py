"""Deleting a concept: its relations, progress and path items go too (the unit of work tells
the graph of each row the database cascades to)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from persistence.sql.repositories import paths
from resolvers import policy
from resolvers.concepts import locked_concept
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

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
        path_ids = await paths.path_ids_holding(uow.session, concept_id=concept_id)
        await uow.session.delete(concept)
        await uow.session.flush()
        await paths.close_item_gaps(uow.session, path_ids=path_ids)
        committed = await uow.commit()
    return ConceptDeletion(deleted_id=concept_id, sync_token=sync_token(committed))
