"""Reconciliation runs and sync conflicts as an administrator lists them, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.models import ReconciliationRun, SyncConflict
from persistence.sql.reads.paging import Page, offset_page

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["conflict_page", "run_page"]


async def run_page(session: AsyncSession, *, offset: int, limit: int) -> Page[ReconciliationRun]:
    order = (ReconciliationRun.started_at.desc(), ReconciliationRun.id)
    return await offset_page(
        session, model=ReconciliationRun, order_by=order, offset=offset, limit=limit
    )


async def conflict_page(
    session: AsyncSession, *, resolved: bool | None, offset: int, limit: int
) -> Page[SyncConflict]:
    """resolved=False the open conflicts, True the settled ones, None all."""
    settled = SyncConflict.resolved_at.is_not(None)
    wanted = [] if resolved is None else [settled if resolved else ~settled]
    order = (SyncConflict.detected_at.desc(), SyncConflict.id)
    return await offset_page(
        session, model=SyncConflict, wanted=wanted, order_by=order, offset=offset, limit=limit
    )
