"""The outbox relay: re-sends events that were committed but never (or long ago) enqueued."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from persistence.sql.models import OutboxEvent
from tasks.resources import resources
from tasks.sync import apply_outbox_events

__all__ = ["BATCH_SIZE", "relay_once"]

logger = logging.getLogger(__name__)
BATCH_SIZE = 200


def _stuck_ids(min_age_seconds: float, limit: int) -> list[uuid.UUID]:
    cutoff = func.now() - timedelta(seconds=min_age_seconds)
    query = (
        select(OutboxEvent.id)
        .where(OutboxEvent.status.in_(("pending", "published")), OutboxEvent.updated_at <= cutoff)
        .order_by(OutboxEvent.seq)
        .limit(limit)
    )
    with resources().sessions() as session:
        return list(session.scalars(query).all())


def _mark_published(ids: list[uuid.UUID]) -> None:
    with resources().sessions.begin() as session:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(ids), OutboxEvent.status.in_(("pending", "published")))
            .values(status="published", published_at=func.now(), updated_at=func.now())
        )


def relay_once(*, min_age_seconds: float = 30.0, limit: int = 10_000) -> int:
    """Enqueue every open event older than min_age_seconds, in batches; returns how many."""
    ids = _stuck_ids(min_age_seconds, limit)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        apply_outbox_events.send([str(event_id) for event_id in batch])
        _mark_published(batch)
    if ids:
        logger.info("relay re-sent %d outbox events", len(ids))
    return len(ids)
