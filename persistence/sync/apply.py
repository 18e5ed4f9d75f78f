"""Apply a batch of outbox events to the graph from the current SQL state of their entities.

The batch holds its events' rows locked (SKIP LOCKED, so a duplicate delivery passes them by)
and an advisory lock per entity, so two workers never write one entity at once; version guards
in the Cypher keep an older state from overwriting a newer one. Applying is idempotent.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction
from sqlalchemy import delete, func, select, text, update
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


def _lock_entities(session: Session, keys: list[str]) -> None:
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k"
        ),
        {"keys": sorted(keys)},
    )


def _group(events: list[OutboxEvent]) -> dict[EntityType, dict[str, dict[str, Any]]]:
    """entity type -> entity id -> payload of its latest event."""
    grouped: dict[EntityType, dict[str, dict[str, Any]]] = defaultdict(dict)
    for event in events:
        grouped[EntityType(event.entity_type)][event.entity_id] = event.payload
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
        grouped = _group(events)
        _lock_entities(session, [f"{t.value}:{i}" for t, ids in grouped.items() for i in ids])
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
) -> int:
    """Count a failed try on each open event; those out of tries become dead. Returns dead count."""
    with sessions.begin() as session:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status.in_(OPEN_STATUSES))
            .values(
                attempts=OutboxEvent.attempts + 1,
                last_error=error[:2000],
                status="failed",
                updated_at=func.now(),
            )
        )
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
