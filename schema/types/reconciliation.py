"""Reconciliation runs and sync conflicts, as operators see them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.scalars import JSON

from domain.reconciliation import ReconciliationStatus
from schema.types.enums import ResolutionStrategy, exposed

if TYPE_CHECKING:
    from persistence.sql.models import ReconciliationRun, SyncConflict

__all__ = ["ReconciliationRunType", "ReconciliationStatus", "SyncConflictType"]


exposed(
    ReconciliationStatus,
    description="Where a reconciliation run stands.",
    values={
        ReconciliationStatus.RUNNING: "In progress; its counts grow.",
        ReconciliationStatus.COMPLETED: "Finished.",
        ReconciliationStatus.FAILED: "Stopped by an error (see errors).",
    },
)


@strawberry.type(
    name="ReconciliationRun",
    description="One comparison of PostgreSQL with Neo4j. Counts grow while it runs.",
)
class ReconciliationRunType:
    id: strawberry.ID = strawberry.field(description="The run's id.")
    status: ReconciliationStatus = strawberry.field(description="Where the run stands.")
    entity_types: list[str] | None = strawberry.field(description="The types covered; null: all.")
    repair: bool = strawberry.field(description="False: the run only reported what differs.")
    checked: int = strawberry.field(description="Entities compared (either side).")
    missing_in_graph: int = strawberry.field(description="In PostgreSQL, not in the graph.")
    orphaned_in_graph: int = strawberry.field(description="In the graph, not in PostgreSQL.")
    stale: int = strawberry.field(description="In the graph at an older version or content.")
    repaired: int = strawberry.field(description="Entities the run wrote back to the graph.")
    conflicts: int = strawberry.field(description="Graph entities edited outside the sync.")
    errors: list[str] = strawberry.field(description="What went wrong, if anything (first 50).")
    started_at: datetime = strawberry.field(description="When it started.")
    finished_at: datetime | None = strawberry.field(
        description="When it ended; null while running."
    )

    @classmethod
    def from_row(cls, row: ReconciliationRun) -> ReconciliationRunType:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=ReconciliationStatus(row.status),
            entity_types=row.entity_types,
            repair=row.repair,
            checked=row.checked,
            missing_in_graph=row.missing_in_graph,
            orphaned_in_graph=row.orphaned_in_graph,
            stale=row.stale,
            repaired=row.repaired,
            conflicts=row.conflicts,
            errors=list(row.errors or []),
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


@strawberry.type(
    name="SyncConflict",
    description="A graph entity whose content no longer matched what was synced at its version.",
)
class SyncConflictType:
    id: strawberry.ID = strawberry.field(description="The conflict's id.")
    entity_type: str = strawberry.field(description="What kind of entity, e.g. concept.")
    entity_id: str = strawberry.field(
        description="The entity's SQL key; composite keys joined by ':'."
    )
    source_version: int | None = strawberry.field(description="PostgreSQL's version.")
    target_version: int | None = strawberry.field(description="The graph's version.")
    source_data: JSON | None = strawberry.field(description="PostgreSQL's mirrored fields.")
    target_data: JSON | None = strawberry.field(description="The graph's properties then.")
    detected_at: datetime = strawberry.field(description="When it was found.")
    resolved_at: datetime | None = strawberry.field(
        description="When it was settled; null while open."
    )
    resolution: ResolutionStrategy | None = strawberry.field(
        description="How it was resolved; null while open (MANUAL_REVIEW leaves it open)."
    )
    notes: str | None = strawberry.field(description="An operator's notes, if any.")

    @classmethod
    def from_row(cls, row: SyncConflict) -> SyncConflictType:
        source_data: Any = row.source_data
        target_data: Any = row.target_data
        return cls(
            id=strawberry.ID(str(row.id)),
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            source_version=row.source_version,
            target_version=row.target_version,
            source_data=source_data,
            target_data=target_data,
            detected_at=row.detected_at,
            resolved_at=row.resolved_at,
            resolution=ResolutionStrategy(row.resolution) if row.resolution else None,
            notes=row.notes,
        )
