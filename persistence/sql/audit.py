"""The audit trail: entries a unit of work appends in its own transaction.

Every write by a teacher or an admin leaves an entry (named after the mutation when the code
adds none of its own); authentication events add theirs explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, text

from domain.roles import AUTHORS
from persistence.sql.models import AuditEntry

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from domain.events import ChangeEvent

__all__ = [
    "AUDITED_ROLES",
    "Actor",
    "AuditNote",
    "append_entries",
    "audit_rows",
    "purge_expired_entries",
]

AUDITED_ROLES = AUTHORS


@dataclass(frozen=True)
class Actor:
    """Who writes, from which request, through which operation."""

    user_id: uuid.UUID | None
    role: str | None
    request_id: str | None = None
    operation: str | None = None

    @property
    def audited(self) -> bool:
        return self.role in AUDITED_ROLES


@dataclass(frozen=True)
class AuditNote:
    action: str
    target_type: str | None = None
    target_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    actor_id: uuid.UUID | None = None  # when it is not the unit of work's actor (a login)


def _implied_note(actor: Actor, events: list[ChangeEvent]) -> AuditNote:
    first = events[0] if events else None
    return AuditNote(
        action=actor.operation or "write",
        target_type=first.entity_type.value if first else None,
        target_id=first.entity_id if first else None,
        details={"events": len(events)} if events else {},
    )


def audit_rows(
    actor: Actor | None, notes: list[AuditNote], events: list[ChangeEvent], *, wrote: bool
) -> list[dict[str, Any]]:
    """The entries to append: the explicit notes, or one for an audited actor's write."""
    if actor is None:
        actor = Actor(user_id=None, role=None)
    if not notes and actor.audited and wrote:
        notes = [_implied_note(actor, events)]
    return [
        {
            "actor_id": note.actor_id or actor.user_id,
            "action": note.action,
            "target_type": note.target_type,
            "target_id": note.target_id,
            "request_id": actor.request_id,
            "details": note.details,
        }
        for note in notes
    ]


def append_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AuditEntry), rows)


def purge_expired_entries(session: Session, *, retention_days: int) -> int:
    """Deletes entries older than the retention; the only delete the log's trigger allows."""
    session.execute(text("SET LOCAL learngraph.audit_purge = 'on'"))
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    result = session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
