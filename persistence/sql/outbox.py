"""Outbox rows written from synchronous code (seed, CLI, reconciliation) in the caller's transaction."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import insert

from domain.events import SyncEventStatus
from persistence.sql.models import OutboxEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from domain.events import ChangeEvent

__all__ = ["add_events", "outbox_row"]


def outbox_row(event: ChangeEvent, correlation_id: uuid.UUID) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "correlation_id": correlation_id,
        "event_type": event.event_type.value,
        "entity_type": event.entity_type.value,
        "entity_id": event.entity_id,
        "payload": event.payload,
        "source_version": event.source_version,
        "status": SyncEventStatus.PENDING,
    }


def add_events(
    session: Session, events: Sequence[ChangeEvent], *, correlation_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    if not events:
        return []
    correlation = correlation_id or uuid.uuid4()
    rows = [outbox_row(event, correlation) for event in events]
    session.execute(insert(OutboxEvent), rows)
    return [row["id"] for row in rows]  # type: ignore[misc]
