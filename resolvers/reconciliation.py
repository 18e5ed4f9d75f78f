"""Reconciliation for admins: start a run in the background, list past runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread
from sqlalchemy import func, select, update

from domain.errors import ErrorCode, UserErrors
from persistence.reconcile.choice import UnknownEntityTypesError, chosen_types
from persistence.reconcile.runs import start_run
from persistence.sql.audit import AuditNote
from persistence.sql.models import ReconciliationRun
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    import uuid

    from resolvers.context import Context
    from resolvers.resources import StartReconciliation

__all__ = ["RunPage", "reconciliation_runs", "run_reconciliation"]


@dataclass(frozen=True)
class RunPage:
    rows: list[ReconciliationRun]
    total: int


def _checked_types(names: list[str] | None) -> list[str] | None:
    if names is None:
        return None
    try:
        return [entity_type.value for entity_type in chosen_types(default_registry(), names)]
    except UnknownEntityTypesError as error:
        raise UserErrors.one("entityTypes", str(error), ErrorCode.VALIDATION) from None


async def _record_failure(context: Context, run_id: uuid.UUID, reason: str) -> None:
    async with context.resources.sessions.begin() as session:
        await session.execute(
            update(ReconciliationRun)
            .where(ReconciliationRun.id == run_id)
            .values(status="failed", finished_at=func.now(), errors=[reason])
        )


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


async def reconciliation_runs(context: Context, *, offset: int, limit: int) -> RunPage:
    """Past runs, newest first."""
    context.require_admin()
    query = (
        select(ReconciliationRun)
        .order_by(ReconciliationRun.started_at.desc(), ReconciliationRun.id)
        .offset(offset)
        .limit(limit)
    )
    async with context.resources.sessions() as session:
        rows = list((await session.scalars(query)).all())
        total = await session.scalar(select(func.count()).select_from(ReconciliationRun)) or 0
    return RunPage(rows=rows, total=total)
