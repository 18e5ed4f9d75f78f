"""An edge never creates the node it hangs on: it waits until the graph holds that node.

Edges are written between existing nodes (MATCH, never MERGE, on their ends), so an edge whose
end has not synced yet, or was deleted by a batch that raced it, leaves no stub node behind;
its events stay open, a try counted, and are applied again once the node is there or the
edge's row is gone from SQL too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.models import (
    Concept,
    ConceptProgress,
    LearningPathItem,
    OutboxEvent,
)
from persistence.sql.outbox import add_events
from persistence.sync.apply import WAITING_ERROR, AppliedBatch, apply_events
from tasks.sync import apply_outbox_events
from tests.support.mirroring import World, concept, key, path, user
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import uuid

    import dramatiq


def progress_row(learner_id: uuid.UUID, concept_id: uuid.UUID) -> ConceptProgress:
    return ConceptProgress(
        user_id=learner_id, concept_id=concept_id, status="in_progress", progress_percent=40
    )


def record(world: World, *keys: tuple[EntityType, str]) -> list[uuid.UUID]:
    events = [ChangeEvent(EventType.ENTITY_UPDATED, kind, entity) for kind, entity in keys]
    with world.sessions.begin() as session:
        return add_events(session, events)


def apply(world: World, event_ids: list[uuid.UUID]) -> AppliedBatch:
    return apply_events(
        world.sessions,
        world.graph,
        database=world.database,
        registry=world.registry,
        event_ids=event_ids,
    )


def outbox(world: World, event_id: uuid.UUID) -> tuple[str, int, str | None]:
    with world.sessions() as session:
        found = session.execute(
            select(OutboxEvent.status, OutboxEvent.attempts, OutboxEvent.last_error).where(
                OutboxEvent.id == event_id
            )
        ).one()
    return found.status, found.attempts, found.last_error


def concept_nodes(world: World) -> list[str]:
    return [row["id"] for row in world.query("MATCH (c:Concept) RETURN c.id AS id")]


def test_an_edge_whose_end_has_not_synced_waits_and_then_lands(world: World) -> None:
    # given a learner in the graph and progress on a concept the graph does not hold yet
    learner, alpha = user("ada"), concept("alpha")
    world.synced(learner)
    world.add(alpha)
    world.add(progress_row(learner.id, alpha.id))
    [event_id] = record(world, key(EntityType.CONCEPT_PROGRESS, learner.id, alpha.id))
    # when the progress event is applied alone
    batch = apply(world, [event_id])
    # then no stub concept is created and the event stays open, a try counted
    assert concept_nodes(world) == []
    assert world.query("MATCH ()-[r:HAS_PROGRESS]->() RETURN r") == []
    assert batch.waiting == [event_id]
    assert batch.waiting_attempts == 1
    assert batch.events == 0
    assert outbox(world, event_id) == ("failed", 1, WAITING_ERROR)
    # when the concept has synced and the event is applied again
    world.apply(key(EntityType.CONCEPT, alpha.id))
    again = apply(world, [event_id])
    # then the edge lands between the real nodes and the event is completed
    assert again.waiting == []
    assert outbox(world, event_id) == ("completed", 2, None)
    [edge] = world.query(
        "MATCH (:User {id: $u})-[r:HAS_PROGRESS]->(c:Concept {id: $c}) "
        "RETURN r.status AS status, c.name AS name",
        u=str(learner.id),
        c=str(alpha.id),
    )
    assert edge == {"status": "in_progress", "name": "alpha"}


def test_an_edge_racing_its_end_nodes_delete_leaves_no_stub_node(world: World) -> None:
    # given a learner's progress on a concept, all in the graph
    learner, alpha = user("ada"), concept("alpha")
    world.synced(learner, alpha)
    world.add(progress_row(learner.id, alpha.id))
    progress = key(EntityType.CONCEPT_PROGRESS, learner.id, alpha.id)
    world.apply(progress)
    # and a batch that read the progress row just before the concept was deleted
    mirror = world.registry[EntityType.CONCEPT_PROGRESS]
    with world.sessions.begin() as session:
        raced = mirror.snapshot(session, [progress[1]]).rows
    [event_id] = record(world, progress)
    # when the delete (SQL cascades to the progress) reaches the graph first
    world.execute(delete(Concept).where(Concept.id == alpha.id))
    world.apply(key(EntityType.CONCEPT, alpha.id), deleted=True)
    # and the racing batch then writes the row it read
    with world.graph.session(database=world.database) as graph:
        waiting = graph.execute_write(lambda tx: mirror.write(tx, raced))
    # then the concept is not brought back as a stub, and the row is reported as waiting
    assert waiting == {progress[1]}
    assert concept_nodes(world) == []
    # and applying the progress event again finds the row gone and completes it
    batch = apply(world, [event_id])
    assert batch.waiting == []
    assert outbox(world, event_id)[0] == "completed"
    assert concept_nodes(world) == []
    assert world.query("MATCH ()-[r:HAS_PROGRESS]->() RETURN r") == []


def test_a_node_whose_link_target_has_not_synced_waits_for_it(world: World) -> None:
    # given a path containing a concept the graph does not hold yet
    alpha, graphs = concept("alpha"), path("Graphs")
    world.add(alpha, graphs)
    world.add(LearningPathItem(path_id=graphs.id, concept_id=alpha.id, order_index=0))
    [event_id] = record(world, key(EntityType.LEARNING_PATH, graphs.id))
    # when the path's event is applied alone
    batch = apply(world, [event_id])
    # then the path node is written, its CONTAINS edge waits and no stub concept appears
    assert world.query("MATCH (p:LearningPath) RETURN p.title AS title") == [{"title": "Graphs"}]
    assert concept_nodes(world) == []
    assert batch.waiting == [event_id]
    # when the concept has synced and the path's event is applied again
    world.apply(key(EntityType.CONCEPT, alpha.id))
    apply(world, [event_id])
    # then the path contains it and the event is completed
    contained = world.query("MATCH (:LearningPath)-[:CONTAINS]->(c:Concept) RETURN c.id AS id")
    assert contained == [{"id": str(alpha.id)}]
    assert outbox(world, event_id)[0] == "completed"


def test_a_worker_applies_a_waiting_edge_again_once_its_end_node_is_committed(
    world: World, worker: dramatiq.Worker
) -> None:
    # given progress on a concept whose own event is not committed yet
    learner, alpha = user("ada"), concept("alpha")
    world.synced(learner)
    world.add(alpha)
    world.add(progress_row(learner.id, alpha.id))
    [waiting] = record(world, key(EntityType.CONCEPT_PROGRESS, learner.id, alpha.id))
    # when a worker gets its message
    apply_outbox_events.send([str(waiting)])
    # then the event waits, a try counted
    eventually(lambda: outbox(world, waiting)[:2] == ("failed", 1), timeout=30)
    # when the concept's event is committed (no message of its own is needed)
    [created] = record(world, key(EntityType.CONCEPT, alpha.id))
    # then the worker applies the edge again by itself, without the relay, and both complete
    eventually(lambda: outbox(world, waiting)[0] == "completed", timeout=30)
    assert outbox(world, created)[0] == "completed"
    assert len(world.query("MATCH (:User)-[r:HAS_PROGRESS]->(:Concept) RETURN r")) == 1
