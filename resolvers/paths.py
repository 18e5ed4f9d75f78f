"""Learning paths: authoring them with their ordered concepts, and listing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserError, UserErrors
from domain.ids import uuid_or_none
from domain.validation import Checks
from persistence.sql.bookkeeping import touch
from persistence.sql.models import LearningPath
from persistence.sql.reads.paging import Page, offset_page
from persistence.sql.repositories import concepts, paths
from resolvers import policy
from resolvers.commands import input_name
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.security import Principal
    from resolvers.commands import PathDraft, PathItem
    from resolvers.context import Context

__all__ = [
    "PathDeletion",
    "PathWrite",
    "create_path",
    "delete_path",
    "path_page",
    "set_path_items",
]

MAX_ITEMS = 500
MAX_ESTIMATED_HOURS = 10_000
TEXT_LIMITS = {"title": 200, "description": 5000, "category": 100, "target_audience": 200}


@dataclass(frozen=True)
class PathWrite:
    path: LearningPath
    sync_token: str | None


@dataclass(frozen=True)
class PathDeletion:
    deleted_id: uuid.UUID
    sync_token: str | None


@dataclass(frozen=True)
class Item:
    concept_id: uuid.UUID
    is_required: bool


def _item_field(index: int) -> str:
    return f"items[{index}].conceptId"


def _checked_items(raw: Sequence[PathItem]) -> list[Item]:
    """Items in order; malformed ids are NOT_FOUND, a concept twice is a VALIDATION error."""
    if len(raw) > MAX_ITEMS:
        raise UserErrors.one(
            "items", f"a path holds at most {MAX_ITEMS} concepts", ErrorCode.VALIDATION
        )
    checks, items, seen = Checks(), [], set()
    for index, given in enumerate(raw):
        concept_id = uuid_or_none(given.concept_id)
        if concept_id is None:
            checks.fail(_item_field(index), "no such concept", ErrorCode.NOT_FOUND)
            continue
        item = Item(concept_id, given.is_required)
        if item.concept_id in seen:
            checks.fail(_item_field(index), "a concept appears once in a path")
        seen.add(item.concept_id)
        items.append(item)
    checks.raise_if_any()
    return items


def _check_path_fields(draft: PathDraft) -> None:
    checks = Checks()
    for name, limit in TEXT_LIMITS.items():
        checks.text(
            input_name(name), getattr(draft, name), max_length=limit, required=name == "title"
        )
    checks.number("estimatedHours", draft.estimated_hours, low=0, high=MAX_ESTIMATED_HOURS)
    checks.raise_if_any()


async def _require_concepts(session: AsyncSession, items: list[Item]) -> None:
    wanted = [item.concept_id for item in items]
    found = await concepts.existing_concept_ids(session, concept_ids=wanted)
    missing = [
        UserError(_item_field(index), f"no concept with id {item.concept_id}", ErrorCode.NOT_FOUND)
        for index, item in enumerate(items)
        if item.concept_id not in found
    ]
    if missing:
        raise UserErrors(*missing)


def _pairs(items: list[Item]) -> list[tuple[uuid.UUID, bool]]:
    return [(item.concept_id, item.is_required) for item in items]


def _duplicate_title(title: str) -> UserErrors:
    return UserErrors.one("title", f"a learning path titled {title} exists", ErrorCode.DUPLICATE)


async def _insert_path(session: AsyncSession, path: LearningPath) -> None:
    if await paths.path_titled(session, title=path.title):
        raise _duplicate_title(path.title)
    session.add(path)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent create took the title first
        raise _duplicate_title(path.title) from None


async def create_path(context: Context, draft: PathDraft) -> PathWrite:
    """Creates a path; its items keep the given order as order_index 0..n-1."""
    principal = policy.author(context.principal)
    _check_path_fields(draft)
    items = _checked_items(draft.items)
    async with context.unit_of_work() as uow:
        await _require_concepts(uow.session, items)
        path = LearningPath(created_by=principal.user_id)
        draft.apply_to(path, but={"items"})
        await _insert_path(uow.session, path)
        await paths.replace_items(uow.session, path_id=path.id, items=_pairs(items))
        committed = await uow.commit()
    return PathWrite(path=path, sync_token=sync_token(committed))


async def _locked_path(session: AsyncSession, principal: Principal, value: str) -> LearningPath:
    """The path, locked for this transaction, when the caller may change it (policy.owned)."""
    path_id = policy.owned_id(principal, value, field="id", what="learning path")
    path = await paths.locked_path(session, path_id=path_id)
    owner = path.created_by if path else None
    return policy.owned(principal, path, owner, field="id", what="learning path")


async def set_path_items(context: Context, raw_id: str, raw_items: Sequence[PathItem]) -> PathWrite:
    """Replaces a path's concepts as a whole, bumping the path's version."""
    principal = policy.author(context.principal)
    items = _checked_items(raw_items)
    async with context.unit_of_work() as uow:
        path = await _locked_path(uow.session, principal, raw_id)
        path_id = path.id
        await _require_concepts(uow.session, items)
        await paths.replace_items(uow.session, path_id=path_id, items=_pairs(items))
        touch(path)  # its items are its link set: the path itself changed
        committed = await uow.commit()
    return PathWrite(path=path, sync_token=sync_token(committed))


async def delete_path(context: Context, raw_id: str) -> PathDeletion:
    """Deletes a path; its items and enrollments go with it."""
    principal = policy.author(context.principal)
    async with context.unit_of_work() as uow:
        path = await _locked_path(uow.session, principal, raw_id)
        path_id = path.id
        await uow.session.delete(path)
        committed = await uow.commit()
    return PathDeletion(deleted_id=path_id, sync_token=sync_token(committed))


async def path_page(context: Context, *, offset: int, limit: int) -> Page[LearningPath]:
    """One page of paths by title, and how many there are: one count and one page query."""
    async with context.resources.sessions() as session:
        return await offset_page(
            session, model=LearningPath, order_by=[LearningPath.title], offset=offset, limit=limit
        )
