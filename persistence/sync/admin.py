"""What operators see of the sync and what they may do to it: figures, event lists, retries.

Shared by the admin GraphQL fields and the `learngraph sync` CLI, both on async sessions.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from domain.errors import ErrorCode, UserErrors
from domain.events import OPEN_STATUSES, RETRYABLE_STATUSES, SyncEventStatus
from persistence.sql.models import OutboxEvent
from persistence.sql.unit_of_work import CommittedEvents, Publisher

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence
    from datetime import datetime

    from neo4j import AsyncDriver
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

__all__ = [
    "RETRY_BATCH_SIZE",
    "EntityTypeFigures",
    "EventPage",
    "SyncFigures",
    "enqueue_retried",
    "graph_available",
    "list_events",
    "read_sync_status",
    "reset_events",
    "retry_events",
]

logger = logging.getLogger(__name__)

# The statuses EntityTypeFigures counts (published ones count as pending).
PER_TYPE = (SyncEventStatus.PENDING, SyncEventStatus.FAILED, SyncEventStatus.DEAD)
RETRY_BATCH_SIZE = 200
PROBE_SECONDS = 1.0


@dataclass(frozen=True)
class EntityTypeFigures:
    """Per entity type: events waiting (pending or published), failed, and dead."""

    entity_type: str
    pending: int = 0
    failed: int = 0
    dead: int = 0


@dataclass(frozen=True)
class SyncFigures:
    """The outbox at a glance, and whether the graph answers."""

    counts: dict[str, int]
    oldest_open_age_seconds: float
    lag_seconds: float
    last_applied_at: datetime | None
    by_entity_type: list[EntityTypeFigures] = field(default_factory=list)
    graph_available: bool = False


def _groups_query() -> Any:
    return select(
        OutboxEvent.entity_type,
        OutboxEvent.status,
        func.count().label("events"),
        func.min(OutboxEvent.created_at).label("oldest"),
        func.max(OutboxEvent.completed_at).label("last_completed"),
        func.now().label("now"),
    ).group_by(OutboxEvent.entity_type, OutboxEvent.status)


def _age(now: datetime | None, oldest: list[datetime]) -> float:
    if now is None or not oldest:
        return 0.0
    return max(0.0, (now - min(oldest)).total_seconds())


def _by_entity_type(rows: Sequence[Any]) -> list[EntityTypeFigures]:
    tallies: dict[str, dict[str, int]] = {}
    for row in rows:
        tally = tallies.setdefault(row.entity_type, dict.fromkeys(PER_TYPE, 0))
        key = SyncEventStatus.PENDING if row.status == SyncEventStatus.PUBLISHED else row.status
        if key in tally:
            tally[key] += row.events
    return [EntityTypeFigures(name, **tally) for name, tally in sorted(tallies.items())]


def _figures(rows: Sequence[Any]) -> SyncFigures:
    counts: dict[str, int] = dict.fromkeys(SyncEventStatus, 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + row.events
    now = rows[0].now if rows else None
    completed = [row.last_completed for row in rows if row.last_completed is not None]
    return SyncFigures(
        counts=counts,
        oldest_open_age_seconds=_age(now, [r.oldest for r in rows if r.status in OPEN_STATUSES]),
        lag_seconds=_age(now, [r.oldest for r in rows if r.status != SyncEventStatus.COMPLETED]),
        last_applied_at=max(completed, default=None),
        by_entity_type=_by_entity_type(rows),
    )


async def graph_available(driver: AsyncDriver, *, within: float = PROBE_SECONDS) -> bool:
    """Whether Neo4j answers within `within` seconds; never raises, never hangs longer."""
    try:
        await asyncio.wait_for(driver.verify_connectivity(), within)
    except Exception:  # any failure (refused, auth, timeout) means not available
        return False
    return True


async def _outbox_figures(sessions: async_sessionmaker[AsyncSession]) -> SyncFigures:
    async with sessions() as session:
        rows = (await session.execute(_groups_query())).all()
    return _figures(rows)


async def read_sync_status(
    sessions: async_sessionmaker[AsyncSession], driver: AsyncDriver
) -> SyncFigures:
    """Outbox figures (one GROUP BY statement) and a graph probe, run side by side."""
    figures, available = await asyncio.gather(_outbox_figures(sessions), graph_available(driver))
    return SyncFigures(
        counts=figures.counts,
        oldest_open_age_seconds=figures.oldest_open_age_seconds,
        lag_seconds=figures.lag_seconds,
        last_applied_at=figures.last_applied_at,
        by_entity_type=figures.by_entity_type,
        graph_available=available,
    )


@dataclass(frozen=True)
class EventPage:
    rows: list[OutboxEvent]
    total: int


async def list_events(
    session: AsyncSession, *, status: str | None, offset: int, limit: int
) -> EventPage:
    """Outbox events, newest first, optionally of one status."""
    wanted = [OutboxEvent.status == status] if status else []
    total = await session.scalar(select(func.count()).select_from(OutboxEvent).where(*wanted))
    rows = await session.scalars(
        select(OutboxEvent)
        .where(*wanted)
        .order_by(OutboxEvent.seq.desc())
        .offset(offset)
        .limit(limit)
    )
    return EventPage(rows=list(rows), total=total or 0)


async def _refuse_unknown(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    known = set(await session.scalars(select(OutboxEvent.id).where(OutboxEvent.id.in_(ids))))
    unknown = [str(event_id) for event_id in ids if event_id not in known]
    if unknown:
        message = f"no sync event with id {', '.join(unknown[:5])}"
        raise UserErrors.one("ids", message, ErrorCode.NOT_FOUND)


async def reset_events(session: AsyncSession, ids: Sequence[uuid.UUID] | None) -> CommittedEvents:
    """Sets events back to pending in the caller's transaction (no ids: every dead one; with
    ids: those failed or dead). An unknown id raises NOT_FOUND on `ids`."""
    if ids is None:
        chosen = OutboxEvent.status == SyncEventStatus.DEAD
    else:
        await _refuse_unknown(session, ids)
        chosen = OutboxEvent.id.in_(ids) & OutboxEvent.status.in_(RETRYABLE_STATUSES)
    result = await session.execute(
        update(OutboxEvent)
        .where(chosen)
        .values(
            status=SyncEventStatus.PENDING,
            attempts=0,
            last_error=None,
            published_at=None,
            completed_at=None,
            updated_at=func.now(),
        )
        .returning(OutboxEvent.id, OutboxEvent.seq)
    )
    rows = sorted(result.all(), key=lambda row: row.seq)
    return CommittedEvents(ids=[row.id for row in rows], seqs=[row.seq for row in rows])


async def enqueue_retried(publish: Publisher, ids: list[uuid.UUID]) -> None:
    """Enqueues committed retried events in batches; what Redis refuses, the relay re-sends."""
    for start in range(0, len(ids), RETRY_BATCH_SIZE):
        try:
            await publish(ids[start : start + RETRY_BATCH_SIZE])
        except Exception:  # the events are pending again; the relay re-sends what was not sent
            logger.warning("could not enqueue %d retried events; the relay will", len(ids) - start)
            return


async def retry_events(
    sessions: async_sessionmaker[AsyncSession],
    publish: Publisher,
    ids: Sequence[uuid.UUID] | None = None,
) -> CommittedEvents:
    """Reset events to pending (no ids: every dead one; with ids: those failed or dead) and
    enqueue them in batches. An unknown id raises NOT_FOUND on `ids` and changes nothing."""
    async with sessions.begin() as session:
        retried = await reset_events(session, ids)
    await enqueue_retried(publish, retried.ids)
    return retried
