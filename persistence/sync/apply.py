"""Apply a batch of outbox events to the graph from the current SQL state of their entities.

A batch claims its events' rows (FOR UPDATE SKIP LOCKED, so a duplicate delivery running at the
same time passes them by), takes an advisory lock per entity (sorted, so two workers never
deadlock and never write one entity at once), then also claims every other open event of the
same entities: the snapshot read after that covers their changes too, so a burst of updates of
one entity costs one graph write. Each mirror writes its rows with one UNWIND per statement,
MERGE on id under a version guard, so re-applying is idempotent and an older state never
overwrites a newer one. The outbox rows are marked completed in the same PostgreSQL transaction
that read the snapshot, after the graph transaction committed: a crash in between leaves them
open for the relay, and re-applying them is harmless.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction
from sqlalchemy import delete, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from domain.events import EntityType
from persistence.sql.models import OutboxEvent, SyncState
from persistence.sync.mirror import MirrorRegistry, Snapshot

__all__ = ["AppliedBatch", "apply_events", "record_failure"]

OPEN_STATUSES = ("pending", "published", "failed")


@dataclass(frozen=True)
class AppliedBatch:
    events: int
    entities: int


def _claim(session: Session, event_ids: Sequence[uuid.UUID]) -> list[OutboxEvent]:
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status.in_(OPEN_STATUSES))
        .order_by(OutboxEvent.seq)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query).all())


def _claim_siblings(session: Session, events: list[OutboxEvent]) -> list[OutboxEvent]:
    """Other open events of the batch's entities, which this batch's snapshot also covers."""
    claimed = {event.id for event in events}
    keys = {(event.entity_type, event.entity_id) for event in events}
    query = (
        select(OutboxEvent)
        .where(
            tuple_(OutboxEvent.entity_type, OutboxEvent.entity_id).in_(list(keys)),
            OutboxEvent.status.in_(OPEN_STATUSES),
        )
        .order_by(OutboxEvent.seq)
        .with_for_update(skip_locked=True)
    )
    return [event for event in session.scalars(query).all() if event.id not in claimed]


def _lock_entities(session: Session, keys: list[str]) -> None:
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k"
        ),
        {"keys": sorted(keys)},
    )


def _group(events: list[OutboxEvent]) -> dict[EntityType, dict[str, dict[str, Any]]]:
    """entity type -> entity id -> its events' payloads merged in commit order.

    Merging keeps what a delete needs (a relation's key) even if a later event carries less.
    """
    grouped: dict[EntityType, dict[str, dict[str, Any]]] = defaultdict(dict)
    for event in sorted(events, key=lambda event: event.seq):
        by_id = grouped[EntityType(event.entity_type)]
        by_id[event.entity_id] = {**by_id.get(event.entity_id, {}), **(event.payload or {})}
    return grouped


def _write_all(
    tx: ManagedTransaction,
    registry: MirrorRegistry,
    snapshots: dict[EntityType, Snapshot],
    payloads: dict[EntityType, dict[str, dict[str, Any]]],
) -> None:
    for mirror in registry.ordered(set(snapshots)):
        snapshot = snapshots[mirror.entity_type]
        if snapshot.rows:
            mirror.write(tx, snapshot.rows)
        if snapshot.gone:
            gone_payloads = [payloads[mirror.entity_type][gone] for gone in snapshot.gone]
            mirror.remove(tx, snapshot.gone, gone_payloads)


def _record_synced(session: Session, snapshots: dict[EntityType, Snapshot]) -> None:
    rows = [
        {
            "entity_type": entity_type.value,
            "entity_id": row["id"],
            "synced_version": row["version"],
            "content_hash": row.get("content_hash"),
        }
        for entity_type, snapshot in snapshots.items()
        for row in snapshot.rows
    ]
    gone = [(entity_type.value, gone) for entity_type, s in snapshots.items() for gone in s.gone]
    if rows:
        statement = insert(SyncState).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[SyncState.entity_type, SyncState.entity_id],
                set_={
                    "synced_version": statement.excluded.synced_version,
                    "content_hash": statement.excluded.content_hash,
                    "synced_at": func.now(),
                },
            )
        )
    for entity_type, entity_id in gone:
        session.execute(
            delete(SyncState).where(
                SyncState.entity_type == entity_type, SyncState.entity_id == entity_id
            )
        )


def apply_events(
    sessions: sessionmaker[Session],
    driver: Driver,
    *,
    database: str,
    registry: MirrorRegistry,
    event_ids: Sequence[uuid.UUID],
) -> AppliedBatch:
    """Write the current state of every entity the events name; mark the events completed."""
    with sessions.begin() as session:
        events = _claim(session, event_ids)
        if not events:
            return AppliedBatch(events=0, entities=0)
        keys = {f"{event.entity_type}:{event.entity_id}" for event in events}
        _lock_entities(session, list(keys))
        events += _claim_siblings(session, events)
        grouped = _group(events)
        snapshots = {
            entity_type: registry[entity_type].snapshot(session, list(ids))
            for entity_type, ids in grouped.items()
        }
        with driver.session(database=database) as graph:
            graph.execute_write(_write_all, registry, snapshots, grouped)
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_([event.id for event in events]))
            .values(
                status="completed",
                completed_at=func.now(),
                updated_at=func.now(),
                attempts=OutboxEvent.attempts + 1,
                last_error=None,
            )
        )
        _record_synced(session, snapshots)
        return AppliedBatch(events=len(events), entities=sum(len(ids) for ids in grouped.values()))


def record_failure(
    sessions: sessionmaker[Session],
    event_ids: Sequence[uuid.UUID],
    *,
    error: str,
    max_attempts: int,
    counted: bool = True,
) -> int:
    """Mark the open events failed; returns how many are now dead.

    A counted failure uses up a try and those out of tries become dead; an uncounted one (a
    store was unreachable) only records the error, so an outage never kills events.
    """
    with sessions.begin() as session:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status.in_(OPEN_STATUSES))
            .values(
                attempts=OutboxEvent.attempts + (1 if counted else 0),
                last_error=error[:2000],
                status="failed",
                updated_at=func.now(),
            )
        )
        if not counted:
            return 0
        dead = session.execute(
            update(OutboxEvent)
            .where(
                OutboxEvent.id.in_(event_ids),
                OutboxEvent.status == "failed",
                OutboxEvent.attempts >= max_attempts,
            )
            .values(status="dead")
            .returning(OutboxEvent.id)
        )
        return len(dead.all())
