"""Sync conflicts for admins: list them, resolve one with a chosen strategy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from domain.conflicts import Strategy
from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from persistence.reconcile.conflicts import resolve_conflict
from persistence.sql.models import SyncConflict
from persistence.sql.reads.reconciliation import conflict_page
from persistence.sync.registry import default_registry
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from domain.events import ChangeEvent
    from persistence.sql.reads.paging import Page
    from persistence.sync.mirror import MirrorRegistry
    from resolvers.context import Context

__all__ = ["ResolvedConflict", "resolve_one_conflict", "sync_conflicts"]


@dataclass(frozen=True)
class ResolvedConflict:
    conflict: SyncConflict
    sync_token: str | None


@cache
def _registry() -> MirrorRegistry:
    return default_registry()


async def sync_conflicts(
    context: Context, *, resolved: bool | None, offset: int, limit: int
) -> Page[SyncConflict]:
    """Conflicts newest first; resolved=False the open ones, True the closed ones, None all."""
    context.require_admin()
    async with context.resources.sessions() as session:
        return await conflict_page(session, resolved=resolved, offset=offset, limit=limit)


def _conflict_id(raw: str) -> uuid.UUID:
    return parse_id(raw, field="id", what="conflict")


def _strategy(raw: str) -> Strategy:
    strategy = Strategy(raw)
    if strategy is Strategy.MANUAL_REVIEW:
        raise UserErrors.one(
            "strategy",
            "MANUAL_REVIEW leaves a conflict open; choose how to resolve it",
            ErrorCode.VALIDATION,
        )
    return strategy


async def resolve_one_conflict(
    context: Context, raw_id: str, strategy_word: str, notes: str | None
) -> ResolvedConflict:
    """Resolve an open conflict: the winning state is written to PostgreSQL, then synced back."""
    context.require_admin()
    conflict_id = _conflict_id(raw_id)
    strategy = _strategy(strategy_word)
    async with context.unit_of_work() as uow:
        conflict = await uow.session.get(SyncConflict, conflict_id, with_for_update=True)
        if conflict is None:
            raise UserErrors.one("id", f"no such conflict: {raw_id}", ErrorCode.NOT_FOUND)
        if conflict.resolved_at is not None:
            raise UserErrors.one("id", "this conflict is already resolved", ErrorCode.CONFLICT)

        def resolve(session: Session) -> list[ChangeEvent]:
            return resolve_conflict(
                session, registry=_registry(), conflict=conflict, strategy=strategy, notes=notes
            )

        try:
            events = await uow.session.run_sync(resolve)
        except DBAPIError:  # the graph's values break a PostgreSQL rule (a type, a NOT NULL)
            raise UserErrors.one(
                "strategy", "the graph's values are not valid in PostgreSQL", ErrorCode.VALIDATION
            ) from None
        for event in events:  # the resolution chose the version, past the graph's
            uow.record(event)
        committed = await uow.commit()
    return ResolvedConflict(conflict=conflict, sync_token=sync_token(committed))
