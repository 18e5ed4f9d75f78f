"""Sync internals for admins: status figures, the outbox event list, retrying events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import uuid_or_none
from persistence.sql.audit import AuditNote
from persistence.sync.admin import (
    EventPage,
    SyncFigures,
    enqueue_retried,
    list_events,
    read_sync_status,
    reset_events,
)
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from resolvers.context import Context

__all__ = ["RetryResult", "retry_sync_events", "sync_events", "sync_status"]


@dataclass(frozen=True)
class RetryResult:
    retried: int
    sync_token: str | None


async def sync_status(context: Context) -> SyncFigures:
    context.require_admin()
    return await read_sync_status(context.resources.sessions, context.resources.driver)


async def sync_events(
    context: Context, *, status: str | None, offset: int, limit: int
) -> EventPage:
    context.require_admin()
    async with context.resources.sessions() as session:
        return await list_events(session, status=status, offset=offset, limit=limit)


def _event_ids(raw_ids: list[str]) -> list[uuid.UUID]:
    ids = [uuid_or_none(raw) for raw in raw_ids]
    if None in ids:
        raise UserErrors.one("ids", "every id must be a sync event id", ErrorCode.VALIDATION)
    return [found for found in ids if found is not None]


async def retry_sync_events(context: Context, raw_ids: list[str] | None) -> RetryResult:
    """Retry the given failed or dead events, or every dead one when no ids are given."""
    context.require_admin()
    ids = None if raw_ids is None else _event_ids(raw_ids)
    async with context.unit_of_work() as uow:
        retried = await reset_events(uow.session, ids)
        details = {"events": len(retried.ids), "all_dead": ids is None}
        uow.audit(AuditNote("retrySyncEvents", details=details))
        await uow.commit()
    await enqueue_retried(context.resources.publish, retried.ids)
    return RetryResult(retried=len(retried.ids), sync_token=sync_token(retried))
