"""Reconciliation: compare PostgreSQL and Neo4j entity by entity, repair, record the run.

For each entity type both sides are streamed in key order and merge-joined, so memory stays
flat whatever the data size. Every `reconcile_batch_size` entities the findings are repaired
and the run's counts committed. Repairs are outbox events applied at once by the workers' own
apply code (current SQL state, version guards, entity locks); if the graph refuses them they
stay pending and the relay hands them to the workers later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from domain.conflicts import Strategy
from domain.events import ChangeEvent, EntityType, EventType
from domain.reconciliation import ReconciliationStatus
from persistence.reconcile.choice import chosen_types
from persistence.reconcile.conflicts import record_conflict, resolve_conflict
from persistence.reconcile.items import Finding, GraphItem, SourceItem, classify
from persistence.reconcile.merge_join import Joined, merge_join
from persistence.reconcile.runs import finish_run, save_progress, start_run, touch_run
from persistence.reconcile.streams import graph_items, source_items
from persistence.reconcile.tally import RunSummary, Tally
from persistence.sql.models import SyncConflict
from persistence.sql.outbox import add_events
from persistence.sync.apply import apply_events
from persistence.sync.registry import default_registry
from persistence.sync.targets import key_filter

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Sequence

    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings
    from persistence.sync.mirror import MirrorRegistry

__all__ = ["Progress", "count_source", "reconcile"]


@dataclass(frozen=True)
class Progress:
    entity_type: str
    checked: int  # entities compared so far in the whole run


@dataclass
class _Repairs:
    updates: list[tuple[str, int]] = field(default_factory=list)
    removals: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    event_ids: list[uuid.UUID] = field(default_factory=list)  # conflict resolutions

    def __bool__(self) -> bool:
        return bool(self.updates or self.removals or self.event_ids)


@dataclass
class _Run:
    sessions: sessionmaker[Session]
    driver: Driver
    settings: Settings
    registry: MirrorRegistry
    run_id: uuid.UUID
    repair: bool
    on_progress: Callable[[Progress], None] | None
    tally: Tally = field(default_factory=Tally)

    @property
    def strategy(self) -> Strategy:
        return Strategy(self.settings.conflict_strategy)

    def events(self, entity_type: EntityType, repairs: _Repairs) -> list[uuid.UUID]:
        changes = [
            ChangeEvent(EventType.ENTITY_UPDATED, entity_type, entity_id, version)
            for entity_id, version in repairs.updates
        ] + [
            ChangeEvent(EventType.ENTITY_DELETED, entity_type, entity_id, payload=payload)
            for entity_id, payload in repairs.removals
        ]
        with self.sessions.begin() as session:
            return add_events(session, changes, correlation_id=self.run_id) + repairs.event_ids

    def apply(self, entity_type: EntityType, repairs: _Repairs) -> None:
        event_ids = self.events(entity_type, repairs)
        try:
            applied = apply_events(
                self.sessions,
                self.driver,
                database=self.settings.neo4j_database,
                registry=self.registry,
                event_ids=event_ids,
            )
        except Exception as error:  # the events stay pending: the relay and workers retry them
            self.tally.error(
                f"{entity_type.value}: {len(event_ids)} repairs left to the sync: {error}"
            )
            return
        self.tally.repaired(entity_type.value, applied.entities)
        if applied.waiting:
            self.tally.error(
                f"{entity_type.value}: {len(applied.waiting)} repairs wait for nodes the graph "
                "does not hold yet; the sync applies them once it does"
            )

    def flush(self, entity_type: EntityType, repairs: _Repairs) -> _Repairs:
        if repairs:
            self.apply(entity_type, repairs)
        save_progress(self.sessions, self.run_id, self.tally)
        if self.on_progress is not None:
            self.on_progress(Progress(entity_type.value, self.tally.total().checked))
        return _Repairs()

    def conflict(
        self, entity_type: EntityType, source: SourceItem, graph: GraphItem
    ) -> list[uuid.UUID]:
        with self.sessions.begin() as session:
            conflict_id = record_conflict(session, entity_type, source, graph).id
        if not self.repair or self.strategy is Strategy.MANUAL_REVIEW:
            return []
        with self.sessions.begin() as session:
            conflict = session.get(SyncConflict, conflict_id, with_for_update=True)
            if conflict is None or conflict.resolved_at is not None:
                return []
            notes = f"resolved by reconciliation run {self.run_id}"
            changes = resolve_conflict(
                session,
                registry=self.registry,
                conflict=conflict,
                strategy=self.strategy,
                notes=notes,
            )
            return add_events(session, changes, correlation_id=self.run_id)


def _plan(
    run: _Run, entity_type: EntityType, pair: Joined[SourceItem, GraphItem], repairs: _Repairs
) -> None:
    finding = classify(pair.left, pair.right)
    run.tally.found(entity_type.value, finding)
    if finding is Finding.CONFLICT and pair.left and pair.right:
        ids = run.conflict(entity_type, pair.left, pair.right)
        repairs.event_ids.extend(ids)
    elif not run.repair or finding is Finding.IN_SYNC:
        return
    elif finding is Finding.ORPHANED and pair.right:
        repairs.removals.append((pair.key, pair.right.removal))
    elif pair.left:
        repairs.updates.append((pair.key, pair.left.version))


def _check_type(run: _Run, entity_type: EntityType, entity_ids: Sequence[str] | None) -> None:
    mirror = run.registry[entity_type]
    target = mirror.target
    size = run.settings.reconcile_batch_size
    sources = source_items(run.sessions, mirror, batch_size=size, entity_ids=entity_ids)
    copies = graph_items(
        run.driver,
        target,
        database=run.settings.neo4j_database,
        batch_size=size,
        entity_ids=entity_ids,
    )
    repairs = _Repairs()
    pairs = merge_join(sources, copies, left_key=_item_id, right_key=_item_id)
    for seen, pair in enumerate(pairs, start=1):
        _plan(run, entity_type, pair, repairs)
        if seen % size == 0:
            repairs = run.flush(entity_type, repairs)
    run.flush(entity_type, repairs)


def _item_id(item: SourceItem | GraphItem) -> str:
    return item.id


def count_source(
    sessions: sessionmaker[Session],
    *,
    registry: MirrorRegistry | None = None,
    entity_types: Sequence[str] | None = None,
    entity_ids: Sequence[str] | None = None,
) -> int:
    """How many SQL rows a run will compare (the length of a progress bar)."""
    registry = registry or default_registry()
    types = chosen_types(registry, entity_types)
    total = 0
    with sessions() as session:
        for entity_type in types:
            target = registry.target(entity_type)
            query = select(func.count()).select_from(target.model)
            if entity_ids is not None:
                query = query.where(key_filter(target, entity_ids))
            total += session.scalar(query) or 0
    return total


def reconcile(
    sessions: sessionmaker[Session],
    driver: Driver,
    *,
    settings: Settings,
    registry: MirrorRegistry | None = None,
    entity_types: Sequence[str] | None = None,
    entity_ids: Sequence[str] | None = None,
    repair: bool = True,
    on_progress: Callable[[Progress], None] | None = None,
    run_id: uuid.UUID | None = None,
) -> RunSummary:
    """Compare, repair (unless repair=False: report only) and record one run.

    `entity_types` are entity type names ("concept", "concept_relation"...; all when None),
    `entity_ids` limit every chosen type to those keys. An unknown type raises
    UnknownEntityTypesError before anything is written. `run_id` continues a run record created
    in status running (as the admin mutation does); otherwise one is created.
    """
    registry = registry or default_registry()
    types = chosen_types(registry, entity_types)
    started = time.monotonic()
    if run_id is None:
        with sessions.begin() as session:
            run_id = start_run(session, entity_types=entity_types, repair=repair)
    else:
        touch_run(sessions, run_id)
    run = _Run(sessions, driver, settings, registry, run_id, repair, on_progress)
    status = ReconciliationStatus.COMPLETED
    for entity_type in types:
        try:
            _check_type(run, entity_type, entity_ids)
        except Exception as error:  # one type failing (e.g. the graph is down) fails the run
            run.tally.error(f"{entity_type.value}: {type(error).__name__}: {error}")
            status = ReconciliationStatus.FAILED
    finish_run(sessions, run_id, run.tally, status=status)
    return RunSummary(
        run_id=run_id,
        status=status,
        totals=run.tally.total(),
        by_type=dict(run.tally.by_type),
        errors=list(run.tally.errors),
        seconds=time.monotonic() - started,
    )
