"""The relay re-sends what was committed but is stuck, and leaves the rest alone."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, update

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, OutboxEvent
from persistence.sql.outbox import add_events
from tasks.relay import relay_once
from tasks.sync import MAX_BACKOFF_SECONDS
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq


def _concept_events(engine: Engine, count: int) -> list[uuid.UUID]:
    with sync_session_factory(engine).begin() as session:
        concepts = [
            Concept(
                id=uuid.uuid4(), name=f"relayed_{i}", display_name=f"R{i}", difficulty="beginner"
            )
            for i in range(count)
        ]
        session.add_all(concepts)
        session.flush()
        events = [
            ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(c.id), 1)
            for c in concepts
        ]
        return add_events(session, events)


def _set(engine: Engine, event_id: uuid.UUID, status: str, age_seconds: float) -> None:
    with sync_session_factory(engine).begin() as session:
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(status=status, updated_at=func.now() - timedelta(seconds=age_seconds))
        )


def _statuses(engine: Engine, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    with sync_session_factory(engine)() as session:
        rows = session.execute(
            select(OutboxEvent.id, OutboxEvent.status).where(OutboxEvent.id.in_(ids))
        ).all()
    return {row.id: row.status for row in rows}


def test_the_relay_resends_stuck_events_but_not_recent_failed_or_dead_ones(engine: Engine) -> None:
    # given events in every state, old or recent
    old_pending, old_published, recent_pending, old_failed, recent_failed, dead = _concept_events(
        engine, 6
    )
    long_ago = 60 + MAX_BACKOFF_SECONDS
    _set(engine, old_pending, "pending", long_ago)
    _set(engine, old_published, "published", long_ago)
    _set(engine, old_failed, "failed", long_ago)
    _set(engine, recent_failed, "failed", 45)  # its Dramatiq retry may still be on its way
    _set(engine, dead, "dead", long_ago)
    # when the relay runs with a 30 s minimum age
    sent = relay_once(min_age_seconds=30)
    # then it re-sent the old pending, published and failed ones only
    assert sent == 3
    statuses = _statuses(engine, [old_pending, old_published, recent_pending, old_failed, dead])
    assert statuses == {
        old_pending: "published",
        old_published: "published",
        recent_pending: "pending",
        old_failed: "failed",
        dead: "dead",
    }
    # and right after, nothing is old enough to be re-sent again
    assert relay_once(min_age_seconds=30) == 0


def test_events_committed_while_the_broker_was_down_reach_completion_through_the_relay(
    engine: Engine, worker: dramatiq.Worker
) -> None:
    # given events committed but never enqueued (as when Redis was down)
    ids = _concept_events(engine, 3)
    # when the relay runs
    assert relay_once(min_age_seconds=0) >= 3
    # then a worker completes them
    assert eventually(lambda: set(_statuses(engine, ids).values()) == {"completed"}, timeout=30)


def test_the_relay_passes_by_events_a_batch_holds_instead_of_waiting_for_it(
    engine: Engine,
) -> None:
    # given two stuck events, the first held by a worker's batch (its row locked)
    held, free = _concept_events(engine, 2)
    with sync_session_factory(engine)() as batch:
        batch.execute(select(OutboxEvent.id).where(OutboxEvent.id == held).with_for_update())
        # when the relay runs while that batch is on its way
        relay = threading.Thread(target=relay_once, kwargs={"min_age_seconds": 0})
        relay.start()
        relay.join(timeout=30)
        finished = not relay.is_alive()
        batch.rollback()
    relay.join()
    # then it sent the free one without waiting for the batch, and left the held one to it
    assert finished
    assert _statuses(engine, [held, free]) == {held: "pending", free: "published"}
