"""Reading the audit log (admins): filtered, newest first, in keyset pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select

from domain.ids import uuid_or_none
from domain.validation import Checks
from persistence.sql.models import AuditEntry
from resolvers.commands import input_name
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    import uuid

    from resolvers.commands import AuditFilters
    from resolvers.context import Context

__all__ = ["AuditPage", "audit_page"]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditEntry]
    total: int
    has_next: bool


def _actor(raw: str | None, checks: Checks) -> uuid.UUID | None:
    if raw is None:
        return None
    actor = uuid_or_none(raw)
    if actor is None:
        checks.fail("actorId", "actorId is not a user id")
    return actor


def _filtered(query: AuditFilters) -> list[ColumnElement[bool]]:
    checks = Checks()
    actor = _actor(query.actor_id, checks)
    exact = {name: getattr(query, name) for name in ("action", "target_type", "target_id")}
    for name, value in exact.items():
        checks.text(input_name(name), value, max_length=200)
    since, until = query.since, query.until
    if since is not None and until is not None and since > until:
        checks.fail("until", "until must not be before since")
    checks.raise_if_any()
    wanted: list[ColumnElement[bool]] = []
    if actor is not None:
        wanted.append(AuditEntry.actor_id == actor)
    for name, value in exact.items():
        if value is not None:
            wanted.append(getattr(AuditEntry, name) == value)
    if since is not None:
        wanted.append(AuditEntry.at >= since)
    if until is not None:
        wanted.append(AuditEntry.at <= until)
    return wanted


async def audit_page(
    context: Context, filters: AuditFilters, *, before_id: int | None, limit: int
) -> AuditPage:
    """Entries newest first, after the cursor's entry; a count of all that match."""
    context.require_admin()
    wanted = _filtered(filters)
    page = [*wanted, AuditEntry.id < before_id] if before_id is not None else wanted
    query = select(AuditEntry).where(*page).order_by(AuditEntry.id.desc()).limit(limit + 1)
    async with read_session(context.resources) as session:
        total = await session.scalar(select(func.count()).select_from(AuditEntry).where(*wanted))
        rows = list((await session.scalars(query)).all())
    return AuditPage(rows=rows[:limit], total=int(total or 0), has_next=len(rows) > limit)
