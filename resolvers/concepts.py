"""What concept fields and mutations do: SQL reads through loaders, writes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserErrors
from domain.validation import MAX_INT, Checks
from persistence.sql.bookkeeping import touch
from persistence.sql.models import Concept
from persistence.sql.reads import concept_stats as stats_reads
from persistence.sql.reads import concepts as concept_reads
from persistence.sql.reads.concept_stats import ConceptStatRow
from persistence.sql.repositories import concepts
from resolvers import policy
from resolvers.commands import CONCEPT_LISTS, input_name
from resolvers.loaders.concepts import concepts_by_id, concepts_by_name
from resolvers.loaders.registry import reading
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal
    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.progress import JsonPage
    from persistence.sql.reads.shapes import Pick
    from resolvers.commands import ConceptChanges, ConceptDetails, ConceptDraft, ConceptFilters
    from resolvers.context import Context

__all__ = [
    "ConceptStatRow",
    "ConceptWrite",
    "concept_by_name",
    "concept_page",
    "concept_stats",
    "concepts_by_ids",
    "create_concept",
    "locked_concept",
    "update_concept",
    "validate_concept_fields",
]

TEXT_LIMITS = {
    "display_name": 200,
    "description": 5000,
    "detailed_description": 20000,
    "domain": 100,
    "category": 100,
    "subcategory": 100,
}
LIST_FIELDS = CONCEPT_LISTS


NOT_NULL_FIELDS = ("display_name", "description", "difficulty")


@dataclass(frozen=True)
class ConceptWrite:
    concept: Concept
    sync_token: str | None


async def concepts_by_ids(context: Context, ids: list[uuid.UUID]) -> list[Concept]:
    """Concepts for ids in the same order, skipping ids that no longer exist."""
    found = await context.loaders.of(concepts_by_id).load_many(ids)
    return [concept for concept in found if concept is not None]


async def concept_by_name(context: Context, name: str) -> Concept | None:
    return await context.loaders.of(concepts_by_name).load(name)


def validate_concept_fields(checks: Checks, details: ConceptDetails) -> None:
    """Checks every given concept field; errors name the GraphQL input field."""
    for name, limit in TEXT_LIMITS.items():
        if details.gave(name):
            checks.text(
                input_name(name),
                getattr(details, name),
                max_length=limit,
                required=name == "display_name",
            )
    checks.number("complexityScore", details.complexity_score, low=0, high=10)
    checks.number("cognitiveLoad", details.cognitive_load, low=0, high=10)
    for name in LIST_FIELDS:
        checks.texts(input_name(name), getattr(details, name))


async def create_concept(context: Context, draft: ConceptDraft) -> ConceptWrite:
    principal = policy.author(context.principal)
    checks = Checks()
    checks.snake_case("name", draft.name)
    validate_concept_fields(checks, draft)
    checks.raise_if_any()
    async with context.unit_of_work() as uow:
        if await concepts.concept_ids_named(uow.session, names=[draft.name]):
            raise UserErrors.one(
                "name", f"a concept named {draft.name} exists", ErrorCode.DUPLICATE
            )
        concept = Concept(created_by=principal.user_id)
        draft.apply_to(concept)
        uow.session.add(concept)
        try:
            await uow.session.flush()
        except IntegrityError:  # a concurrent create took the name first
            raise UserErrors.one(
                "name", f"a concept named {draft.name} exists", ErrorCode.DUPLICATE
            ) from None
        committed = await uow.commit()
    return ConceptWrite(concept=concept, sync_token=sync_token(committed))


def _check_update(update: ConceptChanges) -> None:
    checks = Checks()
    for name in NOT_NULL_FIELDS:
        if update.gave(name) and getattr(update, name) is None:
            checks.fail(input_name(name), f"{input_name(name)} cannot be null")
    validate_concept_fields(checks, update)
    checks.number("expectedVersion", update.expected_version, low=1, high=MAX_INT)
    checks.raise_if_any()


async def locked_concept(session: AsyncSession, principal: Principal, value: str) -> Concept:
    """The concept, locked for this transaction, when the caller may change it (policy.owned)."""
    concept_id = policy.owned_id(principal, value, field="id", what="concept")
    concept = await concepts.locked_concept(session, concept_id=concept_id)
    owner = concept.created_by if concept else None
    return policy.owned(principal, concept, owner, field="id", what="concept")


async def update_concept(context: Context, raw_id: str, update: ConceptChanges) -> ConceptWrite:
    """Changes the given fields (all but name), bumping the version; expectedVersion guards it."""
    principal = policy.author(context.principal)
    _check_update(update)
    expected = update.expected_version
    async with context.unit_of_work() as uow:
        concept = await locked_concept(uow.session, principal, raw_id)
        if expected is not None and expected != concept.version:
            raise UserErrors.one(
                "expectedVersion",
                f"the concept is at version {concept.version}, not {expected}",
                ErrorCode.CONFLICT,
            )
        update.apply_to(concept, but={"expected_version"})
        touch(concept)  # an update moves the version even when every value stays
        committed = await uow.commit()
    return ConceptWrite(concept=concept, sync_token=sync_token(committed))


async def concept_page(
    context: Context,
    filters: ConceptFilters,
    *,
    offset: int,
    limit: int,
    pick: Pick | Answer | Edges,
) -> JsonPage:
    """One page of matching concepts by name, as picked (or an Answer's texts), and how many
    match: one statement."""
    exact = {
        "domain": filters.domain,
        "category": filters.category,
        "difficulty": filters.difficulty,
    }
    equal = {name: str(value) for name, value in exact.items() if value is not None}
    async with reading(context.resources) as connection:
        return await concept_reads.concept_page(
            connection,
            pick=pick,
            viewer=context.viewer_id,
            offset=offset,
            limit=limit,
            equal=equal,
            search=filters.search,
        )


async def concept_stats(context: Context, *, limit: int) -> list[ConceptStatRow]:
    """Learners, average progress and completion share per concept, most learners first.

    Concepts with too few learners for this caller (policy.stats_floor) are left out.
    """
    floor = policy.stats_floor(context.principal, context.settings.lg_stats_min_learners)
    async with context.resources.sessions() as session:
        return await stats_reads.concept_stats(session, floor=floor, limit=limit)
