"""A worker batch takes other open events along, so one graph transaction applies many commits."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, select

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, OutboxEvent
from persistence.sql.outbox import add_events
from persistence.sync.apply import apply_events
from persistence.sync.registry import default_registry
from tasks.sync import SyncFailedError, apply_outbox_events

if TYPE_CHECKING:
    from neo4j import Driver

    from config.settings import Settings


def commit_concepts(engine: Engine, count: int) -> list[uuid.UUID]:
    """`count` commits of one new concept each, their events pending; returns the event ids."""
    ids = []
    for index in range(count):
        with sync_session_factory(engine).begin() as session:
            concept = Concept(
                id=uuid.uuid4(),
                name=f"batched_{index}_{uuid.uuid4().hex[:6]}",
                display_name=f"B{index}",
                difficulty="beginner",
            )
            session.add(concept)
            session.flush()
            event = ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1)
            ids += add_events(session, [event])
    return ids


def events_of(engine: Engine, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, int]]:
    with sync_session_factory(engine)() as session:
        rows = session.execute(
            select(OutboxEvent.id, OutboxEvent.status, OutboxEvent.attempts).where(
                OutboxEvent.id.in_(ids)
            )
        ).all()
    return {row.id: (row.status, row.attempts) for row in rows}


def test_one_batch_applies_the_events_of_several_messages(
    engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given three commits, each with its own message
    first, second, third = commit_concepts(engine, 3)
    sessions = sync_session_factory(engine)
    # when a worker applies the first message, gathering open events
    batch = apply_events(
        sessions,
        graph,
        database=settings.neo4j_database,
        registry=default_registry(),
        event_ids=[first],
        gather=500,
    )
    # then all three are completed by that one batch
    assert batch.events >= 3
    assert {status for status, _ in events_of(engine, [first, second, third]).values()} == {
        "completed"
    }
    # and the later messages find nothing left to do
    later = apply_events(
        sessions,
        graph,
        database=settings.neo4j_database,
        registry=default_registry(),
        event_ids=[second, third],
        gather=500,
    )
    assert later.events == 0


def test_a_bad_gathered_event_does_not_cost_a_messages_own_events_a_try(engine: Engine) -> None:
    # given an older event the graph cannot take, and a good one with its own message
    with sync_session_factory(engine).begin() as session:
        bad = OutboxEvent(
            id=uuid.uuid4(),
            correlation_id=uuid.uuid4(),
            event_type="entity_updated",
            entity_type="no_such_type",
            entity_id="x",
            payload={},
        )
        session.add(bad)
    (good,) = commit_concepts(engine, 1)
    # when the worker handles the good event's message
    apply_outbox_events.fn([str(good)])
    # then the good event is applied on its own, and the bad one is left to its own message
    assert events_of(engine, [good, bad.id]) == {good: ("completed", 1), bad.id: ("pending", 0)}


def sent_messages(queue: str) -> list[list[str]]:
    """The event ids of every message waiting in a queue of the real broker (consumed here)."""
    from tasks.broker import broker

    consumer = broker.consume(queue, prefetch=100, timeout=200)
    found = []
    try:
        while (message := next(consumer)) is not None:
            found.append(message.args[0])
            consumer.ack(message)
    finally:
        consumer.close()
    return found


def test_an_event_held_by_a_batch_that_fails_is_sent_again_without_waiting_for_the_relay(
    engine: Engine,
) -> None:
    # given an event another batch holds (its row locked) when its own message arrives
    (event,) = commit_concepts(engine, 1)
    with sync_session_factory(engine)() as holder:
        holder.execute(select(OutboxEvent.id).where(OutboxEvent.id == event).with_for_update())
        # when the worker handles the message, and then the holding batch fails
        apply_outbox_events.fn([str(event)])
        holder.rollback()
    # then a new message for the event is on its way, and it applies the event
    (again,) = sent_messages("sync.DQ")
    assert again == [str(event)]
    apply_outbox_events.fn(again)
    assert events_of(engine, [event]) == {event: ("completed", 1)}


def test_events_a_failed_batch_gathered_are_sent_again_and_only_the_bad_one_pays_a_try(
    engine: Engine,
) -> None:
    # given a bad event and two good ones (the bootstrap admin's event is open too)
    with sync_session_factory(engine).begin() as session:
        bad = OutboxEvent(
            id=uuid.uuid4(),
            correlation_id=uuid.uuid4(),
            event_type="entity_updated",
            entity_type="no_such_type",
            entity_id="x",
            payload={},
        )
        session.add(bad)
    first, second = commit_concepts(engine, 2)
    # when the first message's batch gathers both others and fails
    apply_outbox_events.fn([str(first)])
    # then its own event is applied and the gathered ones are sent again at once
    (again,) = [ids for ids in sent_messages("sync") if str(bad.id) in ids]
    assert {str(bad.id), str(second)} <= set(again)
    assert str(first) not in again
    # and that message applies the good one and charges a try to the bad one alone
    with pytest.raises(SyncFailedError):
        apply_outbox_events.fn(again)
    assert events_of(engine, [first, second, bad.id]) == {
        first: ("completed", 1),
        second: ("completed", 1),
        bad.id: ("failed", 1),
    }


@pytest.fixture
def gather_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker batches that gather ten events at most."""
    import dataclasses

    from tasks import sync
    from tasks.resources import resources

    opened = resources()
    small = opened.settings.model_copy(update={"sync_gather_limit": 10})
    monkeypatch.setattr(sync, "resources", lambda: dataclasses.replace(opened, settings=small))


@pytest.mark.usefixtures("gather_ten")
def test_a_message_drains_the_outbox_in_batches_until_a_batch_is_not_full(
    engine: Engine,
) -> None:
    # given 35 open events, with batches of ten gathered at most (and no message queued)
    events = commit_concepts(engine, 35)
    sent_messages("sync")
    # when the worker handles the message of the first one
    apply_outbox_events.fn([str(events[0])])
    # then every event is applied by that message; the wake-ups it sent for idle threads to
    # join find nothing left
    assert set(events_of(engine, events).values()) == {("completed", 1)}
    assert all(ids == [] for ids in sent_messages("sync"))


@pytest.mark.usefixtures("gather_ten")
def test_a_long_drain_is_carried_on_by_a_new_message(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 35 open events, and a drain whose time is up after its first batch
    from tasks import sync

    monkeypatch.setattr(sync, "DRAIN_SECONDS", 0.0)
    events = commit_concepts(engine, 35)
    sent_messages("sync")
    # when the worker handles the message of the first one
    apply_outbox_events.fn([str(events[0])])
    # then the rest waits for a wake-up message without events, which goes on gathering
    (wake,) = sent_messages("sync")
    assert wake == []
    assert ("pending", 0) in events_of(engine, events).values()
    monkeypatch.setattr(sync, "DRAIN_SECONDS", 60.0)
    apply_outbox_events.fn(wake)
    assert set(events_of(engine, events).values()) == {("completed", 1)}
