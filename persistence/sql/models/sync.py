"""Sync bookkeeping: the transactional outbox, per-entity sync state, conflicts, runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.conflicts import Strategy
from domain.events import OPEN_STATUSES, SyncEventStatus
from domain.reconciliation import ReconciliationStatus
from persistence.sql.models.base import Base, new_id, one_of, utcnow_column

__all__ = ["OutboxEvent", "ReconciliationRun", "SyncConflict", "SyncState"]


class OutboxEvent(Base):
    """One graph-affecting change, written in the same transaction as the change itself."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        CheckConstraint(one_of("status", SyncEventStatus), name="status"),
        # open events in commit order: a worker's gather and the relay take the oldest
        Index(
            "ix_outbox_events_open_seq",
            "seq",
            postgresql_where=text(one_of("status", OPEN_STATUSES)),
        ),
        # an entity's events (a batch's siblings: persistence/sync/apply.py). No partial index
        # of open events by entity: the planner's statistics of open events are always stale
        # ("no open event"), so scanning such an index whole looked free, and lookups by key
        # scanned every open event for each key.
        Index("ix_outbox_events_entity", "entity_type", "entity_id"),
        Index("ix_outbox_events_status_seq", "status", "seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True, nullable=False)
    correlation_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    event_type: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(100), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    source_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=SyncEventStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The W3C trace context (`traceparent`) of the request that made the change, if traced.
    trace_context: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = utcnow_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = utcnow_column()


class SyncState(Base):
    """What the graph was last given for one entity: its version and a hash of its content."""

    __tablename__ = "sync_state"

    entity_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    synced_version: Mapped[int] = mapped_column(Integer, nullable=False)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[datetime] = utcnow_column()


class SyncConflict(Base):
    __tablename__ = "sync_conflicts"
    __table_args__ = (
        CheckConstraint(
            "resolution IS NULL OR " + one_of("resolution", Strategy),
            name="resolution",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(100), nullable=False)
    source_version: Mapped[int | None] = mapped_column(Integer)
    target_version: Mapped[int | None] = mapped_column(Integer)
    source_data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    target_data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    detected_at: Mapped[datetime] = utcnow_column()
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)


class ReconciliationRun(Base):
    __tablename__ = "reconciliation_runs"
    __table_args__ = (CheckConstraint(one_of("status", ReconciliationStatus), name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, default=ReconciliationStatus.RUNNING
    )
    entity_types: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    repair: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    missing_in_graph: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    orphaned_in_graph: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    stale: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    repaired: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    started_at: Mapped[datetime] = utcnow_column()
    # Touched as the run goes; a running run whose heartbeat stops lost its worker.
    heartbeat_at: Mapped[datetime] = utcnow_column()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
