"""Links between concepts: adding them (refusing prerequisite cycles) and removing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserError, UserErrors
from domain.ids import parse_id
from domain.relations import RelationKind
from domain.validation import Checks
from persistence.sql.models import ConceptRelation
from persistence.sql.repositories import concepts
from resolvers import policy
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from resolvers.commands import RelationDraft, RelationKey
    from resolvers.context import Context

__all__ = ["RelationRemoval", "RelationWrite", "add_relation", "remove_relation"]


@dataclass(frozen=True)
class RelationWrite:
    relation: ConceptRelation
    sync_token: str | None


@dataclass(frozen=True)
class RelationRemoval:
    removed: bool
    sync_token: str | None


def _endpoints(key: RelationKey) -> tuple[uuid.UUID, uuid.UUID]:
    source_id = parse_id(key.source_id, field="sourceId", what="concept")
    target_id = parse_id(key.target_id, field="targetId", what="concept")
    return source_id, target_id


def _check_link(draft: RelationDraft, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    checks = Checks()
    if source_id == target_id:
        checks.fail("targetId", "a concept cannot be linked to itself")
    checks.number("strength", draft.strength, low=0, high=1)
    checks.text("reason", draft.reason, max_length=2000)
    checks.raise_if_any()


async def _require_concepts(
    session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID
) -> None:
    found = await concepts.existing_concept_ids(session, concept_ids=[source_id, target_id])
    missing = [
        UserError(field, f"no concept with id {wanted}", ErrorCode.NOT_FOUND)
        for field, wanted in (("sourceId", source_id), ("targetId", target_id))
        if wanted not in found
    ]
    if missing:
        raise UserErrors(*missing)


async def _refuse_cycle(session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    if await concepts.prerequisite_path_exists(session, source_id=source_id, target_id=target_id):
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
    key = {"source_id": relation.source_id, "target_id": relation.target_id}
    if await concepts.relation_exists(session, **key, kind=relation.kind):
        raise _duplicate(relation.kind)
    session.add(relation)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent add of the same link won
        raise _duplicate(relation.kind) from None


async def add_relation(context: Context, draft: RelationDraft) -> RelationWrite:
    """Links two concepts; a prerequisite link that would close a cycle is refused."""
    principal = policy.author(context.principal)
    source_id, target_id = _endpoints(draft)
    _check_link(draft, source_id, target_id)
    kind = draft.kind
    relation = ConceptRelation(
        source_id=source_id,
        target_id=target_id,
        kind=kind,
        strength=draft.strength,
        reason=draft.reason,
    )
    async with context.unit_of_work() as uow:
        await policy.linkable(uow.session, principal, source_id=source_id, target_id=target_id)
        await _require_concepts(uow.session, source_id, target_id)
        if kind == RelationKind.PREREQUISITE:
            await _refuse_cycle(uow.session, source_id, target_id)
        await _insert(uow.session, relation)
        committed = await uow.commit()
    return RelationWrite(relation=relation, sync_token=sync_token(committed))


async def remove_relation(context: Context, key: RelationKey) -> RelationRemoval:
    """Removes the link with this key; removed is false when there was none."""
    principal = policy.author(context.principal)
    source_id, target_id = _endpoints(key)
    async with context.unit_of_work() as uow:
        await policy.linkable(uow.session, principal, source_id=source_id, target_id=target_id)
        await _require_concepts(uow.session, source_id, target_id)
        ends = {"source_id": source_id, "target_id": target_id}
        if not await concepts.delete_relation(uow.session, **ends, kind=key.kind):
            return RelationRemoval(removed=False, sync_token=None)
        committed = await uow.commit()
    return RelationRemoval(removed=True, sync_token=sync_token(committed))
