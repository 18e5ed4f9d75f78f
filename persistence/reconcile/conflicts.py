"""Conflicts: a graph entity edited outside the sync, recorded with both sides, then resolved.

A resolution is an ordinary write to PostgreSQL: the winning fields go into the row, its
version is bumped past both sides (so the graph's version guard lets the result through) and
an outbox event syncs it back. The caller commits and hands the events on.

LAST_WRITE_WINS: PostgreSQL's time is the row's updated_at. Neo4j keeps no history, so the
graph's time is its own `updated_at` property when the outside edit changed it, otherwise the
time of the last sync (the edit came after it). The source wins ties and unknown times.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from domain.conflicts import ConflictSides, Strategy, changed_fields, decide
from domain.events import ChangeEvent, EntityType, EventType
from persistence.reconcile.items import GraphItem, SourceItem, graph_properties
from persistence.reconcile.streams import source_item
from persistence.sql.bookkeeping import EXEMPT
from persistence.sql.models import SyncConflict, SyncState
from persistence.sync.targets import Target, key_equals, key_filter, key_parts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from persistence.sync.mirror import MirrorRegistry

__all__ = ["record_conflict", "resolve_conflict"]

PROTECTED = frozenset({"id", "version", "created_at", "updated_at"})
# Identity and roles are authority: a graph edit must never grant them, whatever the strategy.
READ_ONLY_TYPES = frozenset({EntityType.USER})


def record_conflict(
    session: Session, entity_type: EntityType, source: SourceItem, graph: GraphItem
) -> SyncConflict:
    """The entity's open conflict, refreshed with both sides; a new one if none is open."""
    query = (
        select(SyncConflict)
        .where(
            SyncConflict.entity_type == entity_type.value,
            SyncConflict.entity_id == source.id,
            SyncConflict.resolved_at.is_(None),
        )
        .order_by(SyncConflict.detected_at)
        .limit(1)
        .with_for_update()
    )
    conflict = session.scalar(query) or SyncConflict(
        id=uuid.uuid4(), entity_type=entity_type.value, entity_id=source.id
    )
    conflict.source_version = source.version
    conflict.target_version = graph.version
    conflict.source_data = graph_properties(source.properties)
    conflict.target_data = graph.properties
    session.add(conflict)
    session.flush()
    return conflict


def _key_parts(target: Target, entity_id: str) -> tuple[uuid.UUID, ...]:
    parts = key_parts(target, entity_id)
    if parts is None:
        raise ValueError(f"not a {target.entity_type.value} id: {entity_id}")
    return parts


def _parse_time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _source_time(session: Session, target: Target, entity_id: str) -> datetime | None:
    column = getattr(target.model, "updated_at", None)
    if column is None:
        return None
    found: datetime | None = session.scalar(select(column).where(key_filter(target, [entity_id])))
    return found


def _target_time(session: Session, conflict: SyncConflict, source: SourceItem) -> datetime | None:
    graph_time = (conflict.target_data or {}).get("updated_at")
    if graph_time is not None and graph_time != source.properties.get("updated_at"):
        return _parse_time(graph_time)
    synced: datetime | None = session.scalar(
        select(SyncState.synced_at).where(
            SyncState.entity_type == conflict.entity_type,
            SyncState.entity_id == conflict.entity_id,
        )
    )
    return synced


def _sides(
    session: Session, target: Target, conflict: SyncConflict, source: SourceItem
) -> ConflictSides:
    # The graph was synced at target_version; if PostgreSQL has not moved since, its state now
    # is what was synced then, which is the base MERGE needs. Otherwise the base is unknown.
    unmoved = conflict.target_version == source.version == conflict.source_version
    return ConflictSides(
        source=source.properties,
        target={name: value for name, value in (conflict.target_data or {}).items()},
        base=source.properties if unmoved else None,
        source_changed_at=_source_time(session, target, conflict.entity_id),
        target_changed_at=_target_time(session, conflict, source),
    )


def _writable(target: Target, fields: dict[str, Any]) -> dict[str, Any]:
    if target.entity_type in READ_ONLY_TYPES:
        return {}
    columns = set(target.model.__table__.columns.keys())
    return {name: value for name, value in fields.items() if name in columns - PROTECTED}


def _write_back(
    session: Session, target: Target, entity_id: str, fields: dict[str, Any], past: int
) -> int:
    """Write the fields and bump the version past `past`; returns the new version."""
    has_version = "version" in target.model.__table__.columns
    version = past + 1 if has_version else 1
    values = {**fields, "version": version} if has_version else fields
    if values:
        condition = key_equals(target, _key_parts(target, entity_id))
        # the version jumps past the graph's, and the caller records the event this returns
        statement = update(target.model).where(condition).values(**values)
        session.execute(statement, execution_options={EXEMPT: True})
    return version


def _close(conflict: SyncConflict, strategy: Strategy, notes: str | None) -> None:
    conflict.resolved_at = datetime.now(UTC)
    conflict.resolution = strategy.value
    conflict.notes = notes


def resolve_conflict(
    session: Session,
    *,
    registry: MirrorRegistry,
    conflict: SyncConflict,
    strategy: Strategy,
    notes: str | None = None,
) -> list[ChangeEvent]:
    """Resolve by strategy in the caller's transaction; returns the events to sync back.

    MANUAL_REVIEW leaves the conflict open and writes nothing. A row deleted meanwhile closes
    the conflict without a write: the graph's copy is then an orphan the next run removes.
    """
    if strategy is Strategy.MANUAL_REVIEW:
        return []
    entity_type = EntityType(conflict.entity_type)
    target = registry.target(entity_type)
    rows = registry[entity_type].snapshot(session, [conflict.entity_id]).rows
    if not rows:
        _close(conflict, strategy, notes)
        return []
    source = source_item(rows[0])
    decision = decide(strategy, _sides(session, target, conflict, source))
    fields = _writable(target, changed_fields(source.properties, decision.winner or {}))
    past = max(source.version, conflict.target_version or 0)
    version = _write_back(session, target, conflict.entity_id, fields, past)
    _close(conflict, strategy, notes)
    return [ChangeEvent(EventType.ENTITY_UPDATED, entity_type, conflict.entity_id, version)]
