"""What concept fields and mutations do: SQL reads through loaders, writes through the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserErrors
from domain.events import ChangeEvent, EntityType, EventType
from domain.validation import Checks
from persistence.sql.models import Concept
from resolvers.context import Context
from resolvers.loaders.concepts import concepts_by_id, concepts_by_name
from resolvers.sync_tokens import sync_token

__all__ = [
    "ConceptWrite",
    "concept_by_name",
    "concepts_by_ids",
    "create_concept",
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
LIST_FIELDS = (
    "key_terms",
    "synonyms",
    "learning_objectives",
    "practical_applications",
    "real_world_examples",
)


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


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def validate_concept_fields(checks: Checks, fields: dict[str, Any]) -> None:
    """Checks every given concept field; errors name the GraphQL input field."""
    for name, limit in TEXT_LIMITS.items():
        if name in fields:
            checks.text(
                _camel(name), fields[name], max_length=limit, required=name == "display_name"
            )
    checks.number("complexityScore", fields.get("complexity_score"), low=0, high=10)
    checks.number("cognitiveLoad", fields.get("cognitive_load"), low=0, high=10)
    for name in LIST_FIELDS:
        checks.texts(_camel(name), fields.get(name))


async def create_concept(context: Context, fields: dict[str, Any]) -> ConceptWrite:
    principal = context.require_author()
    checks = Checks()
    checks.snake_case("name", fields.get("name"))
    validate_concept_fields(checks, fields)
    checks.raise_if_any()
    async with context.unit_of_work() as uow:
        taken = await uow.session.scalar(select(Concept.id).where(Concept.name == fields["name"]))
        if taken is not None:
            raise UserErrors.one(
                "name", f"a concept named {fields['name']} exists", ErrorCode.DUPLICATE
            )
        lists = {name: fields.get(name) or [] for name in LIST_FIELDS}
        concept = Concept(**{**fields, **lists}, created_by=principal.user_id, version=1)
        uow.session.add(concept)
        try:
            await uow.session.flush()
        except IntegrityError:  # a concurrent create took the name first
            raise UserErrors.one(
                "name", f"a concept named {fields['name']} exists", ErrorCode.DUPLICATE
            ) from None
        uow.record(ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1))
        committed = await uow.commit()
    return ConceptWrite(concept=concept, sync_token=sync_token(committed))
