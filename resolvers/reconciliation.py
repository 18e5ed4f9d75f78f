"""Reconciliation for admins: start a run in the background, list past runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread

from domain.errors import ErrorCode, UserErrors
from persistence.reconcile.choice import UnknownEntityTypesError, chosen_types
from persistence.reconcile.runs import start_run, unsent_run
from persistence.sql.audit import AuditNote
from persistence.sql.models import ReconciliationRun
from persistence.sql.reads.reconciliation import run_page
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    import uuid

    from persistence.sql.reads.paging import Page
    from resolvers.context import Context
    from resolvers.resources import StartReconciliation

__all__ = ["reconciliation_runs", "run_reconciliation"]


def _checked_types(names: list[str] | None) -> list[str] | None:
    if names is None:
        return None
    try:
        return [entity_type.value for entity_type in chosen_types(default_registry(), names)]
    except UnknownEntityTypesError as error:
        raise UserErrors.one("entityTypes", str(error), ErrorCode.VALIDATION) from None


async def _record_failure(context: Context, run_id: uuid.UUID, reason: str) -> None:
    async with context.resources.sessions.begin() as session:
        await session.run_sync(lambda sync: unsent_run(sync, run_id=run_id, reason=reason))


async def run_reconciliation(
    context: Context, entity_types: list[str] | None, repair: bool, *, start: StartReconciliation
) -> ReconciliationRun:
    """Record a run in status running and hand it to a worker; returns it at once.

    If the broker cannot take it, the run is recorded as failed (with the reason) instead.
    """
    context.require_admin()
    types = _checked_types(entity_types)
    async with context.unit_of_work() as uow:
        run_id = await uow.session.run_sync(
            lambda sync: start_run(sync, entity_types=types, repair=repair)
        )
        details = {"entity_types": types, "repair": repair}
        uow.audit(AuditNote("runReconciliation", "reconciliation_run", str(run_id), details))
        await uow.commit()
    try:
        await anyio.to_thread.run_sync(start, run_id, types, repair)
    except Exception as error:  # the broker is down: say so on the run, not as a crash
        await _record_failure(context, run_id, f"could not enqueue the run: {type(error).__name__}")
    async with context.resources.sessions() as session:
        return await session.get_one(ReconciliationRun, run_id)


async def reconciliation_runs(
    context: Context, *, offset: int, limit: int
) -> Page[ReconciliationRun]:
    """Past runs, newest first."""
    context.require_admin()
    async with context.resources.sessions() as session:
        return await run_page(session, offset=offset, limit=limit)
