"""Apply a batch of outbox events to the graph from the current SQL state of their entities.

A batch claims its events' rows (FOR UPDATE SKIP LOCKED, so a duplicate delivery running at the
same time passes them by) and, when asked to (`gather`: the workers pass SYNC_GATHER_LIMIT), up
to that many more open (pending or published) events in commit order, whichever message carries them: under load
one graph transaction then applies many commits, and the later messages find their events
completed (failed ones wait for their retry's backoff). It takes an advisory lock per entity
(sorted, so two workers never deadlock and never write one entity at once), then also claims
every other open event of the same entities: the snapshot read after that covers their changes
too, so a burst of updates of one entity costs one graph write. Each mirror writes its rows with one UNWIND per statement,
MERGE on id under a version guard, so re-applying is idempotent and an older state never
overwrites a newer one. The outbox rows are marked completed in the same PostgreSQL transaction
that read the snapshot, after the graph transaction committed: a crash in between leaves them
open for the relay, and re-applying them is harmless.

PostgreSQL sees five statements per batch whatever its size: the claim (own and gathered events
in one), the entity locks, the siblings, one snapshot per entity type, and the completion (outbox
rows and sync_state in one). Payloads stay JSON text unless an entity is gone.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, case, func, text, update

from domain.events import FINISHED_STATUSES, EntityType, SyncEventStatus
from persistence.sql.models import OutboxEvent
from persistence.sql.models.base import none_of, one_of
from persistence.sync.targets import uuid_array

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Sequence

    from neo4j import Driver, ManagedTransaction
    from sqlalchemy.orm import Session, sessionmaker

    from persistence.sync.mirror import MirrorRegistry, Snapshot

__all__ = ["MAX_ATTEMPTS", "WAITING_ERROR", "AppliedBatch", "apply_events", "record_failure"]

# Open events looked up by id or entity say "not finished" (NOT IN): the index of open events
# by seq (spelled IN) cannot serve that, so the primary key or the entity index is used. The
# planner's statistics of open events are always stale (they come and go by the thousand
# between two ANALYZEs); estimating "one open row", it scanned every open event by seq for
# each id or key looked up: open events x ids, quadratic in a backlog.
OPEN = none_of("status", FINISHED_STATUSES)
# The gather reads open events in seq order: that one is the index by seq's own predicate.
UNSENT = one_of("status", (SyncEventStatus.PENDING, SyncEventStatus.PUBLISHED))
MAX_ATTEMPTS = 8  # tries of an event before it is dead
WAITING_ERROR = "waiting for a node the graph does not hold yet (an edge's end, parent or link)"


@dataclass(frozen=True)
class AppliedBatch:
    events: int
    entities: int
    applied: frozenset[tuple[str, str]] = frozenset()  # (entity type, entity id) written
    # The message's own events that were open but held by another batch (SKIP LOCKED passed
    # them by): if that batch fails they are open again, so the caller must not forget them.
    held: list[uuid.UUID] = field(default_factory=list)
    # Events left open (a try counted) because their entity waits for a node the graph does
    # not hold yet: the caller sends them again after `waiting_delay_ms`.
    waiting: list[uuid.UUID] = field(default_factory=list)
    waiting_attempts: int = 0  # the most tries any of them has used
    # How many events the batch gathered besides the message's own: as many as it asked for
    # means that more may be waiting.
    gathered: int = 0
    # Milliseconds each step took (claim, locks, siblings, snapshot, graph, complete), in order.
    steps: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Event:
    id: uuid.UUID
    seq: int
    entity_type: str
    entity_id: str
    payload: str | None  # JSON text, decoded only for the entities that are gone
    attempts: int


# The message's own open events, and up to :gather more unsent ones in commit order, all
# locked in one statement; rows another batch holds are skipped, and those of the message's
# own are returned as `held`. A message whose events another batch holds or finished still
# gathers: under load its thread then applies the next events beside that batch, not nothing.
CLAIM = text(
    f"""
    WITH own AS (
        SELECT id FROM outbox_events
        WHERE id = ANY(CAST(:ids AS uuid[])) AND {OPEN}
        ORDER BY seq FOR UPDATE SKIP LOCKED
    ), more AS (
        SELECT id FROM outbox_events
        WHERE {UNSENT} AND NOT (id = ANY(CAST(:ids AS uuid[])))
        ORDER BY seq LIMIT :gather FOR UPDATE SKIP LOCKED
    )
    SELECT e.id, e.seq, e.entity_type, e.entity_id, CAST(e.payload AS text) AS payload,
           e.attempts, c.kind
    FROM outbox_events e
    JOIN (SELECT id, 'own' AS kind FROM own UNION ALL SELECT id, 'gathered' FROM more) c
      USING (id)
    UNION ALL
    SELECT id, seq, entity_type, entity_id, NULL, attempts, 'held' FROM outbox_events
    WHERE id = ANY(CAST(:ids AS uuid[])) AND {OPEN}
      AND id NOT IN (SELECT id FROM own)
    """  # noqa: S608 - statuses are the domain's constants; values are parameters
)
# Other open events of the batch's entities: an index lookup per key (the entity index),
# driven by the keys (with "one open row" estimated, the planner joined the keys to every open
# event instead: 0.5 s for 4,500 open events x 500 keys).
SIBLINGS = text(
    f"""
    SELECT e.id, e.seq, e.entity_type, e.entity_id, e.payload, e.attempts
    FROM json_to_recordset(CAST(:keys AS json)) AS k(t text, i text)
    CROSS JOIN LATERAL (
        SELECT id, seq, entity_type, entity_id, CAST(payload AS text) AS payload, attempts
        FROM outbox_events
        WHERE entity_type = k.t AND entity_id = k.i AND {OPEN}
          AND NOT (id = ANY(CAST(:claimed AS uuid[])))
        FOR UPDATE SKIP LOCKED
    ) AS e
    """  # noqa: S608 - statuses are the domain's constants; values are parameters
)
LOCK_ENTITIES = text(
    "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
    "FROM json_array_elements_text(CAST(:keys AS json)) AS k ORDER BY k"
)
# The events completed (or, waiting for a node, failed with a try counted), what the graph now
# holds recorded and what it no longer holds forgotten: one statement, run after the graph
# transaction committed. Its rows travel as one JSON text (a text[] parameter costs psycopg a
# quoting check per item).
COMPLETE = text(
    f"""
    WITH done AS (
        UPDATE outbox_events
        SET status = '{SyncEventStatus.COMPLETED}', completed_at = now(), updated_at = now(),
            attempts = attempts + 1, last_error = NULL
        WHERE id = ANY(CAST(:events AS uuid[]))
    ), waiting AS (
        UPDATE outbox_events
        SET status = CASE WHEN attempts + 1 >= :max_attempts THEN '{SyncEventStatus.DEAD}' ELSE '{SyncEventStatus.FAILED}' END,
            updated_at = now(), attempts = attempts + 1, last_error = :waiting_error
        WHERE id = ANY(CAST(:waiting AS uuid[]))
    ), forgotten AS (
        DELETE FROM sync_state
        WHERE (entity_type, entity_id) IN (
            SELECT t, i FROM json_to_recordset(CAST(:gone AS json)) AS g(t text, i text))
    )
    INSERT INTO sync_state (entity_type, entity_id, synced_version, content_hash, synced_at)
    SELECT t, i, v, h, now()
    FROM json_to_recordset(CAST(:synced AS json)) AS r(t text, i text, v integer, h text)
    ON CONFLICT (entity_type, entity_id) DO UPDATE
    SET synced_version = EXCLUDED.synced_version, content_hash = EXCLUDED.content_hash,
        synced_at = now()
    """  # noqa: S608 - statuses are the domain's constants; values are parameters
)


def _events(rows: Sequence[Row[Any]]) -> list[_Event]:
    return [
        _Event(row.id, row.seq, row.entity_type, row.entity_id, row.payload, row.attempts)
        for row in rows
    ]


@dataclass(frozen=True)
class _Claimed:
    events: list[_Event]  # the message's own and the gathered ones
    held: list[uuid.UUID]  # the message's own open events another batch holds
    gathered: int  # how many of `events` were gathered


def _claim(session: Session, event_ids: Sequence[uuid.UUID], gather: int) -> _Claimed:
    params = {"ids": uuid_array(event_ids), "gather": max(gather, 0)}
    rows = session.execute(CLAIM, params).all()
    return _Claimed(
        events=_events([row for row in rows if row.kind != "held"]),
        held=[row.id for row in rows if row.kind == "held"],
        gathered=sum(1 for row in rows if row.kind == "gathered"),
    )


def _claim_siblings(session: Session, events: list[_Event]) -> list[_Event]:
    """Other open events of the batch's entities, which this batch's snapshot also covers."""
    keys = sorted({(event.entity_type, event.entity_id) for event in events})
    params = {
        "keys": json.dumps([{"t": kind, "i": entity} for kind, entity in keys]),
        "claimed": uuid_array(event.id for event in events),
    }
    return _events(session.execute(SIBLINGS, params).all())


def _lock_entities(session: Session, events: list[_Event]) -> None:
    keys = sorted({f"{event.entity_type}:{event.entity_id}" for event in events})
    session.execute(LOCK_ENTITIES, {"keys": json.dumps(keys)})


def _group(events: list[_Event]) -> dict[EntityType, dict[str, list[str | None]]]:
    """entity type -> entity id -> its events' payloads (JSON text) in commit order."""
    grouped: dict[EntityType, dict[str, list[str | None]]] = defaultdict(dict)
    for event in sorted(events, key=lambda event: event.seq):
        grouped[EntityType(event.entity_type)].setdefault(event.entity_id, []).append(event.payload)
    return grouped


def _merged(payloads: list[str | None]) -> dict[str, Any]:
    """An entity's payloads merged in commit order: what a delete needs (a relation's key)
    survives even if a later event carries less."""
    merged: dict[str, Any] = {}
    for payload in payloads:
        merged.update(json.loads(payload) if payload else {})
    return merged


Waiting = dict[EntityType, set[str]]  # entity type -> ids whose write waits for a node


def _write_all(
    tx: ManagedTransaction,
    registry: MirrorRegistry,
    snapshots: dict[EntityType, Snapshot],
    payloads: dict[EntityType, dict[str, list[str | None]]],
) -> Waiting:
    waiting: Waiting = {}
    for mirror in registry.ordered(snapshots):
        snapshot = snapshots[mirror.entity_type]
        if snapshot.rows:
            waiting[mirror.entity_type] = mirror.write(tx, snapshot.rows)
        if snapshot.gone:
            of_type = payloads[mirror.entity_type]
            mirror.remove(tx, snapshot.gone, [_merged(of_type[gone]) for gone in snapshot.gone])
    return waiting


def _waits(event: _Event, waiting: Waiting) -> bool:
    return event.entity_id in waiting.get(EntityType(event.entity_type), ())


def _complete(
    session: Session,
    done: list[_Event],
    left_open: list[_Event],
    snapshots: dict[EntityType, Snapshot],
    waiting: Waiting,
) -> None:
    synced = [
        {"t": kind.value, "i": row["id"], "v": row["version"], "h": row.get("content_hash")}
        for kind, snapshot in snapshots.items()
        for row in snapshot.rows
        if row["id"] not in waiting.get(kind, ())
    ]
    gone = [
        {"t": kind.value, "i": value}
        for kind, snapshot in snapshots.items()
        for value in snapshot.gone
    ]
    params = {
        "events": uuid_array(event.id for event in done),
        "waiting": uuid_array(event.id for event in left_open),
        "max_attempts": MAX_ATTEMPTS,
        "waiting_error": WAITING_ERROR,
        "synced": json.dumps(synced),
        "gone": json.dumps(gone),
    }
    session.execute(COMPLETE, params)


class _Steps:
    """Milliseconds per step of a batch, for its log line and the benchmarks' profile."""

    def __init__(self) -> None:
        self.taken: dict[str, float] = {}
        self._last = time.perf_counter()

    def mark(self, step: str) -> None:
        now = time.perf_counter()
        self.taken[step] = round((now - self._last) * 1000, 2)
        self._last = now


def _outcome(
    done: list[_Event], left_open: list[_Event], claim: _Claimed, steps: _Steps
) -> AppliedBatch:
    alive = [event for event in left_open if event.attempts + 1 < MAX_ATTEMPTS]
    applied = frozenset((event.entity_type, event.entity_id) for event in done)
    return AppliedBatch(
        events=len(done),
        entities=len(applied),
        applied=applied,
        held=claim.held,
        gathered=claim.gathered,
        waiting=[event.id for event in alive],
        waiting_attempts=max((event.attempts + 1 for event in alive), default=0),
        steps=steps.taken,
    )


def apply_events(
    sessions: sessionmaker[Session],
    driver: Driver,
    *,
    database: str,
    registry: MirrorRegistry,
    event_ids: Sequence[uuid.UUID],
    gather: int = 0,
    claimed: list[uuid.UUID] | None = None,
    on_full: Callable[[], None] | None = None,
) -> AppliedBatch:
    """Write the current state of every entity the events name; mark the events completed.

    With `gather`, up to that many other unsent events are applied in the same batch. The ids
    of every event the batch claimed are appended to `claimed` as they are claimed, so that a
    caller whose batch failed knows which events it held back from their own messages. Events
    whose entity waits for a node the graph does not hold yet stay open (`waiting`).
    `on_full` is called as soon as the claim gathered all it asked for (more may be open), so
    that others can start on them while this batch is applied; it runs inside the batch's
    transaction, holding its locks, so it must not wait on anything (hand the work over).
    """
    steps = _Steps()
    with sessions.begin() as session:
        claim = _claim(session, event_ids, gather)
        events, held = claim.events, claim.held
        steps.mark("claim")
        if on_full is not None and gather and claim.gathered >= gather:
            on_full()
        claimed_ids = claimed if claimed is not None else []
        claimed_ids += [event.id for event in events]
        if not events:
            return AppliedBatch(events=0, entities=0, held=held, steps=steps.taken)
        _lock_entities(session, events)
        steps.mark("locks")
        siblings = _claim_siblings(session, events)
        steps.mark("siblings")
        claimed_ids += [event.id for event in siblings]
        events += siblings
        grouped = _group(events)
        snapshots = {
            entity_type: registry[entity_type].snapshot(session, list(ids))
            for entity_type, ids in grouped.items()
        }
        steps.mark("snapshot")
        with driver.session(database=database) as graph:
            waiting = graph.execute_write(_write_all, registry, snapshots, grouped)
        steps.mark("graph")
        left_open = [event for event in events if _waits(event, waiting)]
        done = [event for event in events if not _waits(event, waiting)]
        _complete(session, done, left_open, snapshots, waiting)
        steps.mark("complete")
    steps.mark("commit")
    return _outcome(done, left_open, claim, steps)


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
    tries = OutboxEvent.attempts + (1 if counted else 0)
    out_of_tries = case((tries >= max_attempts, SyncEventStatus.DEAD), else_=SyncEventStatus.FAILED)
    with sessions.begin() as session:
        statuses = session.scalars(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(event_ids), OutboxEvent.status.not_in(FINISHED_STATUSES))
            .values(
                attempts=tries,
                last_error=error[:2000],
                status=out_of_tries if counted else SyncEventStatus.FAILED,
                updated_at=func.now(),
            )
            .returning(OutboxEvent.status)
        ).all()
    return statuses.count(SyncEventStatus.DEAD)
