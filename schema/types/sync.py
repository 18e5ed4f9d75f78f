"""Sync internals for operators: the outbox figures and its events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.scalars import JSON

from schema.types.enums import SyncEventStatus

if TYPE_CHECKING:
    from persistence.sql.models import OutboxEvent
    from persistence.sync.admin import EntityTypeFigures, SyncFigures

__all__ = ["EntitySyncStatusType", "SyncEventType", "SyncStatusType"]


@strawberry.type(name="EntitySyncStatus", description="Open sync work of one entity type.")
class EntitySyncStatusType:
    entity_type: str = strawberry.field(description="e.g. concept, concept_relation, user.")
    pending: int = strawberry.field(
        description="Events waiting to be applied (pending or published)."
    )
    failed: int = strawberry.field(description="Events whose last try failed; they are retried.")
    dead: int = strawberry.field(description="Events out of tries, waiting for an operator.")

    @classmethod
    def from_figures(cls, figures: EntityTypeFigures) -> EntitySyncStatusType:
        return cls(
            entity_type=figures.entity_type,
            pending=figures.pending,
            failed=figures.failed,
            dead=figures.dead,
        )


@strawberry.type(name="SyncStatus", description="How far the graph is behind PostgreSQL.")
class SyncStatusType:
    pending: int = strawberry.field(description="Events written, not yet handed to the broker.")
    published: int = strawberry.field(description="Events enqueued, not yet applied.")
    completed: int = strawberry.field(description="Events applied to the graph.")
    failed: int = strawberry.field(description="Events whose last try failed; they are retried.")
    dead: int = strawberry.field(
        description="Events out of tries; retry them with retrySyncEvents."
    )
    oldest_pending_age_seconds: float = strawberry.field(
        description="Age of the oldest open event (pending, published or failed); 0 when none."
    )
    lag_seconds: float = strawberry.field(
        description="How far the graph is behind: seconds since the oldest event not yet applied "
        "(any status but completed, dead ones included) was written; 0 when all are applied."
    )
    last_applied_at: datetime | None = strawberry.field(
        description="When the graph last applied an event (the latest completion)."
    )
    graph_available: bool = strawberry.field(
        description="Whether Neo4j answered a connectivity probe within a second."
    )
    by_entity_type: list[EntitySyncStatusType] = strawberry.field(
        description="Open work per entity type."
    )

    @classmethod
    def from_figures(cls, figures: SyncFigures) -> SyncStatusType:
        counts = figures.counts
        return cls(
            pending=counts["pending"],
            published=counts["published"],
            completed=counts["completed"],
            failed=counts["failed"],
            dead=counts["dead"],
            oldest_pending_age_seconds=figures.oldest_open_age_seconds,
            lag_seconds=figures.lag_seconds,
            last_applied_at=figures.last_applied_at,
            graph_available=figures.graph_available,
            by_entity_type=[EntitySyncStatusType.from_figures(f) for f in figures.by_entity_type],
        )


@strawberry.type(name="SyncEvent", description="One outbox event: a change the graph must learn.")
class SyncEventType:
    id: strawberry.ID = strawberry.field(description="The event's id.")
    correlation_id: strawberry.ID = strawberry.field(
        description="Shared by the events of one transaction."
    )
    event_type: str = strawberry.field(
        description="entity_created|updated|deleted, relationship_created|updated|deleted, "
        "user_created|updated|deleted."
    )
    entity_type: str = strawberry.field(description="What kind of entity changed, e.g. concept.")
    entity_id: str = strawberry.field(description="The SQL key; composite keys joined by ':'.")
    payload: JSON = strawberry.field(
        description="What the event carries (keys a delete needs); workers read the current SQL state."
    )
    source_version: int = strawberry.field(description="The entity's version the change produced.")
    status: SyncEventStatus = strawberry.field(description="Where the event is.")
    attempts: int = strawberry.field(description="Tries that failed and counted.")
    last_error: str | None = strawberry.field(description="The last failure, if any.")
    created_at: datetime = strawberry.field(description="When the change was committed.")
    published_at: datetime | None = strawberry.field(description="When it was enqueued, if it was.")
    completed_at: datetime | None = strawberry.field(
        description="When the graph applied it, if it did."
    )
    updated_at: datetime = strawberry.field(description="When its status last changed.")

    @classmethod
    def from_row(cls, row: OutboxEvent) -> SyncEventType:
        payload: Any = row.payload
        return cls(
            id=strawberry.ID(str(row.id)),
            correlation_id=strawberry.ID(str(row.correlation_id)),
            event_type=row.event_type,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            payload=payload,
            source_version=row.source_version,
            status=SyncEventStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
            published_at=row.published_at,
            completed_at=row.completed_at,
            updated_at=row.updated_at,
        )
