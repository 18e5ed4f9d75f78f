"""The outbox relay: re-sends events that were committed but never (or long ago) enqueued.

It is what makes "committed" mean "will reach the graph": an event stays open until a worker
completes it, and the relay re-sends every open event that nobody touched for a while:
- PENDING or PUBLISHED for longer than `min_age_seconds`: Redis was down at commit time, the
  API died between commit and enqueue, or the message was lost with a worker that died;
- FAILED for longer than `min_age_seconds + MAX_BACKOFF_SECONDS`: by then Dramatiq's pending
  retry should have run (each failed try touches the event), so it was lost with its worker, or
  Dramatiq's retries ran out during an outage (see tasks/sync.py).
DEAD events are left alone: they wait for an operator. Re-sending touches `updated_at`, so an
event is re-sent at most once per `min_age_seconds`; a duplicate message is harmless (a worker
skips events that are completed or held by another worker).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, or_, select, update

from config.tracing import attached
from domain.events import FINISHED_STATUSES, SyncEventStatus
from persistence.sql.models import OutboxEvent
from tasks.resources import resources
from tasks.sync import MAX_BACKOFF_SECONDS, apply_outbox_events

if TYPE_CHECKING:
    import uuid

__all__ = ["BATCH_SIZE", "relay_once"]

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
UNSENT = (SyncEventStatus.PENDING, SyncEventStatus.PUBLISHED)


def _stuck(min_age_seconds: float, limit: int) -> list[tuple[uuid.UUID, dict[str, str] | None]]:
    """Ids of stuck events, oldest first, with each one's stored trace context."""
    unsent_cutoff = func.now() - timedelta(seconds=min_age_seconds)
    failed_cutoff = func.now() - timedelta(seconds=min_age_seconds + MAX_BACKOFF_SECONDS)
    query = (
        select(OutboxEvent.id, OutboxEvent.trace_context)
        .where(
            or_(
                and_(OutboxEvent.status.in_(UNSENT), OutboxEvent.updated_at <= unsent_cutoff),
                and_(
                    OutboxEvent.status == SyncEventStatus.FAILED,
                    OutboxEvent.updated_at <= failed_cutoff,
                ),
            )
        )
        .order_by(OutboxEvent.seq)
        .limit(limit)
    )
    with resources().sessions() as session:
        return [(row.id, row.trace_context) for row in session.execute(query)]


def _mark_sent(ids: list[uuid.UUID]) -> None:
    """Unsent events become published; failed ones stay failed. Both count as touched now.

    One statement by primary key (the status test spelled NOT IN, which the index of open
    events by seq cannot serve: see persistence/sync/apply.py)."""
    unsent = OutboxEvent.status.in_(UNSENT)
    with resources().sessions.begin() as session:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(ids), OutboxEvent.status.not_in(FINISHED_STATUSES))
            .values(
                status=case((unsent, SyncEventStatus.PUBLISHED), else_=OutboxEvent.status),
                published_at=case((unsent, func.now()), else_=OutboxEvent.published_at),
                updated_at=func.now(),
            )
        )


def relay_once(*, min_age_seconds: float = 30.0, limit: int = 10_000) -> int:
    """Enqueue every stuck open event (oldest first), in batches; returns how many.

    Raises if PostgreSQL or Redis is unreachable: the scheduler logs it and tries next tick
    (events marked but not sent are touched, so they are sent again after `min_age_seconds`).
    """
    rows = _stuck(min_age_seconds, limit)
    ids = [event_id for event_id, _ in rows]
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        # Marked (and committed) before the send: a worker taking the message must not find
        # the rows locked by this update, which its SKIP LOCKED claim would pass by.
        _mark_sent(batch)
        with attached(rows[start][1]):  # the worker joins the first event's trace
            apply_outbox_events.send([str(event_id) for event_id in batch])
    if ids:
        logger.info("relay re-sent %d outbox events", len(ids))
    return len(ids)
