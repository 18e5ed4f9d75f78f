"""Concepts and the relations between them, as the write paths read and change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text

from domain.relations import RelationKind
from persistence.sql.models import Concept, ConceptRelation

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterable

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "concept_ids_named",
    "delete_relation",
    "existing_concept_ids",
    "locked_concept",
    "prerequisite_path_exists",
    "relation_exists",
]

# One lock for every prerequisite edit: two concurrent links could each be acyclic alone.
PREREQUISITE_LOCK = 0x1E4A_0001
LOCK = text("SELECT pg_advisory_xact_lock(:key)")
# Is the new link's source reachable from its target over existing prerequisite links?
REACHES_SOURCE = text(
    """
    WITH RECURSIVE reached(id) AS (
        SELECT target_id FROM concept_relations WHERE source_id = :target AND kind = :kind
        UNION
        SELECT link.target_id FROM concept_relations AS link
        JOIN reached ON link.source_id = reached.id
        WHERE link.kind = :kind
    )
    SELECT EXISTS (SELECT 1 FROM reached WHERE id = :source)
    """
)


async def locked_concept(session: AsyncSession, *, concept_id: uuid.UUID) -> Concept | None:
    """The concept, row-locked until the transaction ends; None when there is none."""
    query = select(Concept).where(Concept.id == concept_id).with_for_update()
    return await session.scalar(query)


async def existing_concept_ids(
    session: AsyncSession, *, concept_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of the ids name a concept."""
    query = select(Concept.id).where(Concept.id.in_(list(concept_ids)))
    return set(await session.scalars(query))


async def concept_ids_named(session: AsyncSession, *, names: Iterable[str]) -> dict[str, uuid.UUID]:
    """The ids of the concepts with these names (names without a concept are left out)."""
    rows = await session.execute(select(Concept.name, Concept.id).where(Concept.name.in_(names)))
    return {name: concept_id for name, concept_id in rows.all()}


async def relation_exists(
    session: AsyncSession, *, source_id: uuid.UUID, target_id: uuid.UUID, kind: str
) -> bool:
    query = select(ConceptRelation.id).where(
        ConceptRelation.source_id == source_id,
        ConceptRelation.target_id == target_id,
        ConceptRelation.kind == kind,
    )
    return await session.scalar(query) is not None


async def prerequisite_path_exists(
    session: AsyncSession, *, source_id: uuid.UUID, target_id: uuid.UUID
) -> bool:
    """Whether prerequisites already lead from target to source (a new source -> target link
    would close a cycle). Holds the prerequisite lock until the transaction ends."""
    await session.execute(LOCK, {"key": PREREQUISITE_LOCK})
    params = {"source": source_id, "target": target_id, "kind": RelationKind.PREREQUISITE}
    return bool(await session.scalar(REACHES_SOURCE, params))


async def delete_relation(
    session: AsyncSession, *, source_id: uuid.UUID, target_id: uuid.UUID, kind: str
) -> bool:
    """Deletes the relation with this key; False when there was none."""
    gone = await session.scalar(
        delete(ConceptRelation)
        .where(
            ConceptRelation.source_id == source_id,
            ConceptRelation.target_id == target_id,
            ConceptRelation.kind == kind,
        )
        .returning(ConceptRelation.id)
    )
    return gone is not None
