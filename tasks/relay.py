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
from domain.events import SyncEventStatus
from persistence.sql.models import OutboxEvent
from tasks.resources import resources
from tasks.sync import MAX_BACKOFF_SECONDS, apply_outbox_events

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import Row, Select

__all__ = ["BATCH_SIZE", "relay_once"]

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
UNSENT = (SyncEventStatus.PENDING, SyncEventStatus.PUBLISHED)


def _stuck(min_age_seconds: float, after: int, limit: int) -> Select[uuid.UUID]:
    """Stuck events after seq `after`, oldest first, locked; those a batch holds (it is
    applying them) are passed by."""
    unsent_cutoff = func.now() - timedelta(seconds=min_age_seconds)
    failed_cutoff = func.now() - timedelta(seconds=min_age_seconds + MAX_BACKOFF_SECONDS)
    return (
        select(OutboxEvent.id)
        .where(
            or_(
                and_(OutboxEvent.status.in_(UNSENT), OutboxEvent.updated_at <= unsent_cutoff),
                and_(
                    OutboxEvent.status == SyncEventStatus.FAILED,
                    OutboxEvent.updated_at <= failed_cutoff,
                ),
            ),
            OutboxEvent.seq > after,
        )
        .order_by(OutboxEvent.seq)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def _mark_stuck(
    min_age_seconds: float, after: int, limit: int
) -> list[Row[uuid.UUID, int, dict[str, str] | None]]:
    """The next stuck events marked sent, in one statement: unsent ones become published,
    failed ones stay failed, and both count as touched now. Returns (id, seq, trace context)
    in seq order.

    Events a worker's batch holds are passed by, not waited for: waiting for each batch to
    commit made the relay as slow as the workers it feeds during a backlog drain.
    """
    unsent = OutboxEvent.status.in_(UNSENT)
    marked = (
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(_stuck(min_age_seconds, after, limit).scalar_subquery()))
        .values(
            status=case((unsent, SyncEventStatus.PUBLISHED), else_=OutboxEvent.status),
            published_at=case((unsent, func.now()), else_=OutboxEvent.published_at),
            updated_at=func.now(),
        )
        .returning(OutboxEvent.id, OutboxEvent.seq, OutboxEvent.trace_context)
    )
    with resources().sessions.begin() as session:
        rows = session.execute(marked).all()
    return sorted(rows, key=lambda row: row.seq)


def relay_once(*, min_age_seconds: float = 30.0, limit: int = 10_000) -> int:
    """Enqueue every stuck open event (oldest first), in batches; returns how many.

    Raises if PostgreSQL or Redis is unreachable: the scheduler logs it and tries next tick
    (events marked but not sent are touched, so they are sent again after `min_age_seconds`).
    """
    sent, after = 0, 0
    while sent < limit:
        # Marked (and committed) before the send: a worker taking the message must not find
        # the rows locked by this update, which its SKIP LOCKED claim would pass by.
        rows = _mark_stuck(min_age_seconds, after, min(BATCH_SIZE, limit - sent))
        if not rows:
            break
        with attached(rows[0].trace_context):  # the worker joins the first event's trace
            apply_outbox_events.send([str(row.id) for row in rows])
        sent, after = sent + len(rows), rows[-1].seq
    if sent:
        logger.info("relay re-sent %d outbox events", sent)
    return sent
