"""Apply a batch of outbox events to the graph from the current SQL state of their entities.

A batch claims its events' rows (FOR UPDATE SKIP LOCKED, so a duplicate delivery running at the
same time passes them by) and, when asked to (`gather`: the workers pass SYNC_GATHER_LIMIT), up to that many more
open (pending or published) events in commit order, whichever message carries them: under load
one graph transaction then applies many commits, and the later messages find their events
completed. It takes an advisory lock per entity (sorted, so two workers never deadlock and
never write one entity at once), then also claims every other open event of the same entities: the snapshot read after that covers their changes too, so a burst of updates of
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
from sqlalchemy import Row, String, Uuid, any_, bindparam, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, sessionmaker

from domain.events import EntityType
from persistence.sql.models import OutboxEvent
from persistence.sync.mirror import MirrorRegistry, Snapshot

__all__ = ["AppliedBatch", "apply_events", "record_failure"]

OPEN_STATUSES = ("pending", "published", "failed")
UNSENT_STATUSES = ("pending", "published")  # failed ones wait for their retry's backoff


@dataclass(frozen=True)
class AppliedBatch:
    events: int
    entities: int
    applied: frozenset[tuple[str, str]] = frozenset()  # (entity type, entity id) written


_EVENT_COLUMNS = (
    OutboxEvent.id,
    OutboxEvent.seq,
    OutboxEvent.entity_type,
    OutboxEvent.entity_id,
    OutboxEvent.payload,
)


def _among(event_ids: Sequence[uuid.UUID]) -> Any:
    """id = ANY(array): one parameter however many ids (IN would bind one per id)."""
    return OutboxEvent.id == any_(bindparam(None, list(event_ids), type_=ARRAY(Uuid)))


def _locked(session: Session, *conditions: Any, limit: int | None = None) -> list[Row[Any]]:
    query = select(*_EVENT_COLUMNS).where(*conditions).order_by(OutboxEvent.seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query.with_for_update(skip_locked=True)).all())


def _claim(session: Session, event_ids: Sequence[uuid.UUID]) -> list[Row[Any]]:
    return _locked(session, _among(event_ids), OutboxEvent.status.in_(OPEN_STATUSES))


def _gather(session: Session, events: list[Row[Any]], limit: int) -> list[Row[Any]]:
    """Up to `limit` more unsent events, oldest first, that no other batch holds."""
    if limit <= 0:
        return []
    claimed = [event.id for event in events]
    return _locked(
        session,
        OutboxEvent.status.in_(UNSENT_STATUSES),
        ~_among(claimed),
        limit=limit,
    )


def _claim_siblings(session: Session, events: list[Row[Any]]) -> list[Row[Any]]:
    """Other open events of the batch's entities, which this batch's snapshot also covers."""
    claimed = {event.id for event in events}
    keys = {(event.entity_type, event.entity_id) for event in events}
    pairs = (
        func.unnest(
            bindparam(None, [kind for kind, _ in keys], type_=ARRAY(String)),
            bindparam(None, [entity for _, entity in keys], type_=ARRAY(String)),
        )
        .table_valued("kind", "entity")
        .render_derived()
    )
    found = _locked(
        session,
        tuple_(OutboxEvent.entity_type, OutboxEvent.entity_id).in_(
            select(pairs.c.kind, pairs.c.entity)
        ),
        OutboxEvent.status.in_(OPEN_STATUSES),
    )
    return [event for event in found if event.id not in claimed]


def _lock_entities(session: Session, keys: list[str]) -> None:
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k"
        ),
        {"keys": sorted(keys)},
    )


def _group(events: list[Row[Any]]) -> dict[EntityType, dict[str, dict[str, Any]]]:
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


RECORD_SYNCED = text(
    """
    INSERT INTO sync_state (entity_type, entity_id, synced_version, content_hash, synced_at)
    SELECT t, i, v, h, now()
    FROM unnest(CAST(:types AS text[]), CAST(:ids AS text[]), CAST(:versions AS integer[]),
                CAST(:hashes AS text[])) AS r(t, i, v, h)
    ON CONFLICT (entity_type, entity_id) DO UPDATE
    SET synced_version = EXCLUDED.synced_version, content_hash = EXCLUDED.content_hash,
        synced_at = now()
    """
)
FORGET_SYNCED = text(
    """
    DELETE FROM sync_state
    WHERE (entity_type, entity_id) IN (
        SELECT t, i FROM unnest(CAST(:types AS text[]), CAST(:ids AS text[])) AS r(t, i))
    """
)


def _record_synced(session: Session, snapshots: dict[EntityType, Snapshot]) -> None:
    """One statement for what was written (array parameters), one for what was removed."""
    rows = [(kind, row) for kind, snapshot in snapshots.items() for row in snapshot.rows]
    gone = [(kind, gone) for kind, snapshot in snapshots.items() for gone in snapshot.gone]
    if rows:
        session.execute(
            RECORD_SYNCED,
            {
                "types": [kind.value for kind, _ in rows],
                "ids": [row["id"] for _, row in rows],
                "versions": [row["version"] for _, row in rows],
                "hashes": [row.get("content_hash") for _, row in rows],
            },
        )
    if gone:
        session.execute(
            FORGET_SYNCED,
            {"types": [kind.value for kind, _ in gone], "ids": [value for _, value in gone]},
        )


def apply_events(
    sessions: sessionmaker[Session],
    driver: Driver,
    *,
    database: str,
    registry: MirrorRegistry,
    event_ids: Sequence[uuid.UUID],
    gather: int = 0,
) -> AppliedBatch:
    """Write the current state of every entity the events name; mark the events completed.

    With `gather`, up to that many other unsent events are applied in the same batch.
    """
    with sessions.begin() as session:
        events = _claim(session, event_ids)
        if not events:
            return AppliedBatch(events=0, entities=0)
        events += _gather(session, events, gather)
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
            .where(_among([event.id for event in events]))
            .values(
                status="completed",
                completed_at=func.now(),
                updated_at=func.now(),
                attempts=OutboxEvent.attempts + 1,
                last_error=None,
            )
        )
        _record_synced(session, snapshots)
        applied = frozenset((kind.value, entity) for kind, ids in grouped.items() for entity in ids)
        return AppliedBatch(events=len(events), entities=len(applied), applied=applied)


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
