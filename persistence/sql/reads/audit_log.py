"""The audit log as an administrator reads it: newest first, in keyset pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from persistence.sql.models import AuditEntry
from persistence.sql.reads.paging import Page

if TYPE_CHECKING:
    import uuid
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["audit_entries"]


async def audit_entries(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None,
    limit: int,
) -> Page[AuditEntry]:
    """Up to `limit` + 1 entries, newest first, older than entry `before_id`, matching every
    filter given; the total counts every matching entry, whatever the cursor."""
    equal = {
        AuditEntry.actor_id: actor_id,
        AuditEntry.action: action,
        AuditEntry.target_type: target_type,
        AuditEntry.target_id: target_id,
    }
    wanted = [column == value for column, value in equal.items() if value is not None]
    if since is not None:
        wanted.append(AuditEntry.at >= since)
    if until is not None:
        wanted.append(AuditEntry.at <= until)
    page = [*wanted, AuditEntry.id < before_id] if before_id is not None else wanted
    query = select(AuditEntry).where(*page).order_by(AuditEntry.id.desc()).limit(limit + 1)
    total = await session.scalar(select(func.count()).select_from(AuditEntry).where(*wanted))
    rows = list((await session.scalars(query)).all())
    return Page(rows=rows, total=int(total or 0))
