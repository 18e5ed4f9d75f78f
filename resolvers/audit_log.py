"""Reading the audit log (admins): filtered, newest first, in keyset pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.ids import uuid_or_none
from domain.validation import Checks
from persistence.sql.reads.audit_log import audit_entries
from resolvers.commands import input_name
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    import uuid

    from persistence.sql.models import AuditEntry
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


def _checked(query: AuditFilters) -> uuid.UUID | None:
    """The filters' actor id, once every filter is valid."""
    checks = Checks()
    actor = _actor(query.actor_id, checks)
    exact = {name: getattr(query, name) for name in ("action", "target_type", "target_id")}
    for name, value in exact.items():
        checks.text(input_name(name), value, max_length=200)
    since, until = query.since, query.until
    if since is not None and until is not None and since > until:
        checks.fail("until", "until must not be before since")
    checks.raise_if_any()
    return actor


async def audit_page(
    context: Context, filters: AuditFilters, *, before_id: int | None, limit: int
) -> AuditPage:
    """Entries newest first, after the cursor's entry; a count of all that match."""
    context.require_admin()
    actor_id = _checked(filters)
    async with read_session(context.resources) as session:
        page = await audit_entries(
            session,
            actor_id=actor_id,
            action=filters.action,
            target_type=filters.target_type,
            target_id=filters.target_id,
            since=filters.since,
            until=filters.until,
            before_id=before_id,
            limit=limit,
        )
    rows = page.rows
    return AuditPage(rows=rows[:limit], total=page.total, has_next=len(rows) > limit)
