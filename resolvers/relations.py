"""Links between concepts: adding them (refusing prerequisite cycles) and removing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserError, UserErrors
from domain.validation import Checks
from persistence.sql.models import Concept, ConceptRelation
from resolvers import policy
from resolvers.concepts import parse_id
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from resolvers.commands import RelationDraft, RelationKey
    from resolvers.context import Context

__all__ = ["RelationRemoval", "RelationWrite", "add_relation", "remove_relation"]

PREREQUISITE = "prerequisite"
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


@dataclass(frozen=True)
class RelationWrite:
    relation: ConceptRelation
    sync_token: str | None


@dataclass(frozen=True)
class RelationRemoval:
    removed: bool
    sync_token: str | None


def _endpoints(fields: dict[str, Any]) -> tuple[uuid.UUID, uuid.UUID]:
    source_id = parse_id("sourceId", fields["source_id"])
    target_id = parse_id("targetId", fields["target_id"])
    return source_id, target_id


def _check_link(fields: dict[str, Any], source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    checks = Checks()
    if source_id == target_id:
        checks.fail("targetId", "a concept cannot be linked to itself")
    checks.number("strength", fields.get("strength"), low=0, high=1)
    checks.text("reason", fields.get("reason"), max_length=2000)
    checks.raise_if_any()


async def _require_concepts(
    session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID
) -> None:
    found = set(
        await session.scalars(select(Concept.id).where(Concept.id.in_([source_id, target_id])))
    )
    missing = [
        UserError(field, f"no concept with id {wanted}", ErrorCode.NOT_FOUND)
        for field, wanted in (("sourceId", source_id), ("targetId", target_id))
        if wanted not in found
    ]
    if missing:
        raise UserErrors(*missing)


async def _refuse_cycle(session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    await session.execute(LOCK, {"key": PREREQUISITE_LOCK})
    params = {"source": source_id, "target": target_id, "kind": PREREQUISITE}
    if await session.scalar(REACHES_SOURCE, params):
        raise UserErrors.one(
            "targetId",
            "this prerequisite would close a cycle: the target already leads to the source",
            ErrorCode.CYCLE,
        )


def _duplicate(kind: str) -> UserErrors:
    return UserErrors.one(
        "kind", f"these concepts are already linked as {kind}", ErrorCode.DUPLICATE
    )


async def _insert(session: AsyncSession, relation: ConceptRelation) -> None:
    existing = await session.scalar(
        select(ConceptRelation.id).where(
            ConceptRelation.source_id == relation.source_id,
            ConceptRelation.target_id == relation.target_id,
            ConceptRelation.kind == relation.kind,
        )
    )
    if existing is not None:
        raise _duplicate(relation.kind)
    session.add(relation)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent add of the same link won
        raise _duplicate(relation.kind) from None


async def add_relation(context: Context, draft: RelationDraft) -> RelationWrite:
    """Links two concepts; a prerequisite link that would close a cycle is refused."""
    fields = draft.given()
    principal = policy.author(context.principal)
    source_id, target_id = _endpoints(fields)
    _check_link(fields, source_id, target_id)
    kind = fields["kind"]
    relation = ConceptRelation(
        source_id=source_id,
        target_id=target_id,
        kind=kind,
        strength=fields.get("strength", 1.0),
        reason=fields.get("reason"),
    )
    async with context.unit_of_work() as uow:
        await policy.linkable(uow.session, principal, source_id=source_id, target_id=target_id)
        await _require_concepts(uow.session, source_id, target_id)
        if kind == PREREQUISITE:
            await _refuse_cycle(uow.session, source_id, target_id)
        await _insert(uow.session, relation)
        committed = await uow.commit()
    return RelationWrite(relation=relation, sync_token=sync_token(committed))


async def remove_relation(context: Context, key: RelationKey) -> RelationRemoval:
    """Removes the link with this key; removed is false when there was none."""
    fields = key.given()
    principal = policy.author(context.principal)
    source_id, target_id = _endpoints(fields)
    async with context.unit_of_work() as uow:
        await policy.linkable(uow.session, principal, source_id=source_id, target_id=target_id)
        await _require_concepts(uow.session, source_id, target_id)
        gone = await uow.session.scalar(
            delete(ConceptRelation)
            .where(
                ConceptRelation.source_id == source_id,
                ConceptRelation.target_id == target_id,
                ConceptRelation.kind == fields["kind"],
            )
            .returning(ConceptRelation)
        )
        if gone is None:
            return RelationRemoval(removed=False, sync_token=None)
        committed = await uow.commit()
    return RelationRemoval(removed=True, sync_token=sync_token(committed))
