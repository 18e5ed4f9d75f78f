"""Property: however outbox events are delivered, the graph ends equal to SQL.

Hypothesis draws a sequence of writes (create, update, delete concepts; link and unlink them),
each committed to SQL with its outbox events as the resolvers write them, with deliveries of
random events (duplicates and already completed ones included) in between; at the end every
event is delivered again in a drawn order, with duplicates, in drawn batch sizes. The graph
must then hold exactly the SQL state of the example's concepts and relations, once each.

The graph is shared with other runs, so every comparison is limited to this example's ids, and
an example during which another run emptied the graph (its sentinel node is gone) is discarded.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, or_, select, update

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, ConceptRelation, OutboxEvent, SyncState
from persistence.sql.outbox import add_events
from persistence.sync.apply import apply_events
from persistence.sync.registry import default_registry
from persistence.sync.tracking import row_event

if TYPE_CHECKING:
    from collections.abc import Iterator

    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings

SLOTS = 4
KINDS = ("prerequisite", "related_to", "builds_upon", "part_of")

slot = st.integers(0, SLOTS - 1)
# Creates and full deliveries come often, so that examples reach the graph before later writes.
step = st.one_of(
    st.tuples(st.just("create"), slot),
    st.tuples(st.just("create"), slot),
    st.tuples(st.just("update"), slot),
    st.tuples(st.just("delete"), slot),
    st.tuples(st.just("link"), slot, slot, st.sampled_from(KINDS)),
    st.tuples(st.just("unlink"), slot, slot, st.sampled_from(KINDS)),
    st.tuples(st.just("deliver"), st.integers(1, 6)),
    st.tuples(st.just("deliver"), st.just(0)),  # everything so far, in a drawn order
    st.tuples(st.just("deliver"), st.just(0)),
)


class Example:
    """One example's concepts in slots, the SQL writes on them, and their deliveries."""

    def __init__(self, sessions: sessionmaker[Session], graph: Driver, database: str) -> None:
        self.sessions = sessions
        self.graph = graph
        self.database = database
        self.registry = default_registry()
        self.slots: dict[int, uuid.UUID] = {}
        self.concept_ids: set[uuid.UUID] = set()
        self.event_ids: list[uuid.UUID] = []
        self.counter = 0

    def write(self, *step: Any) -> None:
        with self.sessions.begin() as session:
            events = getattr(self, f"_{step[0]}")(session, *step[1:])
            self.event_ids += add_events(session, events)

    def _create(self, session: Session, at: int) -> list[ChangeEvent]:
        if at in self.slots:
            return []
        self.counter += 1
        concept = Concept(
            id=uuid.uuid4(),
            name=f"prop_{uuid.uuid4().hex[:12]}",
            display_name=f"Concept {self.counter}",
            difficulty="beginner",
            version=1,
        )
        session.add(concept)
        self.slots[at] = concept.id
        self.concept_ids.add(concept.id)
        return [ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1)]

    def _update(self, session: Session, at: int) -> list[ChangeEvent]:
        if at not in self.slots:
            return []
        self.counter += 1
        version = session.execute(
            update(Concept)
            .where(Concept.id == self.slots[at])
            .values(description=f"revision {self.counter}", version=Concept.version + 1)
            .returning(Concept.version)
        ).scalar_one()
        return [
            ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT, str(self.slots[at]), version)
        ]

    def _delete(self, session: Session, at: int) -> list[ChangeEvent]:
        if at not in self.slots:
            return []
        concept_id = self.slots.pop(at)
        touching = or_(
            ConceptRelation.source_id == concept_id, ConceptRelation.target_id == concept_id
        )
        events = [
            row_event("deleted", r)
            for r in session.scalars(select(ConceptRelation).where(touching))
        ]
        version = session.scalar(select(Concept.version).where(Concept.id == concept_id)) or 0
        session.execute(delete(Concept).where(Concept.id == concept_id))
        event = ChangeEvent(
            EventType.ENTITY_DELETED, EntityType.CONCEPT, str(concept_id), version + 1
        )
        return [*events, event]

    def _link(self, session: Session, source: int, target: int, kind: str) -> list[ChangeEvent]:
        if source == target or source not in self.slots or target not in self.slots:
            return []
        if self._relation(session, source, target, kind) is not None:
            return []
        relation = ConceptRelation(
            id=uuid.uuid4(),
            source_id=self.slots[source],
            target_id=self.slots[target],
            kind=kind,
            strength=0.5,
            version=1,
        )
        session.add(relation)
        return [
            ChangeEvent(
                EventType.RELATIONSHIP_CREATED, EntityType.CONCEPT_RELATION, str(relation.id), 1
            )
        ]

    def _unlink(self, session: Session, source: int, target: int, kind: str) -> list[ChangeEvent]:
        if source not in self.slots or target not in self.slots:
            return []
        relation = self._relation(session, source, target, kind)
        if relation is None:
            return []
        session.delete(relation)
        return [row_event("deleted", relation)]

    def _relation(self, session: Session, source: int, target: int, kind: str) -> Any:
        return session.scalar(
            select(ConceptRelation).where(
                ConceptRelation.source_id == self.slots[source],
                ConceptRelation.target_id == self.slots[target],
                ConceptRelation.kind == kind,
            )
        )

    def deliver(self, event_ids: list[uuid.UUID]) -> None:
        apply_events(
            self.sessions,
            self.graph,
            database=self.database,
            registry=self.registry,
            event_ids=event_ids,
        )

    def sql_state(self) -> tuple[set[Any], set[Any], set[Any]]:
        ids = list(self.concept_ids)
        with self.sessions() as session:
            concepts = session.execute(
                select(
                    Concept.id, Concept.display_name, Concept.description, Concept.version
                ).where(Concept.id.in_(ids))
            ).all()
            relations = session.execute(
                select(
                    ConceptRelation.id,
                    ConceptRelation.source_id,
                    ConceptRelation.target_id,
                    ConceptRelation.kind,
                    ConceptRelation.strength,
                    ConceptRelation.version,
                ).where(ConceptRelation.source_id.in_(ids))
            ).all()
            synced = session.execute(
                select(SyncState.entity_id, SyncState.synced_version).where(
                    SyncState.entity_type == EntityType.CONCEPT.value,
                    SyncState.entity_id.in_([str(i) for i in ids]),
                )
            ).all()
        return (
            {(str(c[0]), *c[1:]) for c in concepts},
            {(str(r[0]), str(r[1]), str(r[2]), r[3].upper(), *r[4:]) for r in relations},
            {(c[0], c[1]) for c in synced},
        )

    def graph_state(self) -> tuple[list[Any], set[Any]]:
        ids = [str(i) for i in self.concept_ids]
        concepts, _, _ = self.graph.execute_query(
            "MATCH (c:Concept) WHERE c.id IN $ids"
            " RETURN c.id, c.display_name, c.description, c.version",
            ids=ids,
            database_=self.database,
        )
        relations, _, _ = self.graph.execute_query(
            "MATCH (s:Concept)-[r]->(t:Concept) WHERE s.id IN $ids OR t.id IN $ids"
            " RETURN r.id, s.id, t.id, type(r), r.strength, r.version",
            ids=ids,
            database_=self.database,
        )
        return [tuple(c.values()) for c in concepts], {tuple(r.values()) for r in relations}

    def place_sentinel(self) -> str:
        sentinel = str(uuid.uuid4())
        self.graph.execute_query(
            "CREATE (:SyncPropertySentinel {id: $id})", id=sentinel, database_=self.database
        )
        return sentinel

    def sentinel_survived(self, sentinel: str) -> bool:
        """Removes the sentinel; False if someone emptied the graph since it was placed."""
        records, _, _ = self.graph.execute_query(
            "MATCH (s:SyncPropertySentinel {id: $id}) DELETE s RETURN count(*) AS found",
            id=sentinel,
            database_=self.database,
        )
        return bool(records and records[0]["found"])

    def outbox_statuses(self) -> set[str]:
        with self.sessions() as session:
            statuses = session.scalars(
                select(OutboxEvent.status).where(OutboxEvent.id.in_(self.event_ids)).distinct()
            )
            return set(statuses)


def _batches(ids: list[uuid.UUID], sizes: list[int]) -> Iterator[list[uuid.UUID]]:
    start = 0
    for size in [*sizes, len(ids)]:
        if start >= len(ids):
            return
        yield ids[start : start + size]
        start += size


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(steps=st.lists(step, min_size=6, max_size=24), data=st.data())
def test_any_delivery_order_with_duplicates_leaves_the_graph_equal_to_sql(
    engine: Engine, graph: Driver, settings: Settings, steps: list[Any], data: st.DataObject
) -> None:
    # given writes committed to SQL, with some of their events delivered in between
    example = Example(sync_session_factory(engine), graph, settings.neo4j_database)
    sentinel = example.place_sentinel()
    for current in steps:
        if current[0] == "deliver" and example.event_ids:
            some = st.lists(st.sampled_from(example.event_ids), min_size=1, max_size=current[1])
            everything = st.permutations(example.event_ids)
            example.deliver(data.draw(some if current[1] else everything, label="early"))
        elif current[0] != "deliver":
            example.write(*current)
    # when every event is delivered again, reordered, with duplicates, in batches
    order = data.draw(st.permutations(example.event_ids), label="order")
    extra = data.draw(st.lists(st.sampled_from(example.event_ids or [uuid.uuid4()]), max_size=5))
    shuffled = data.draw(st.permutations([*order, *extra]), label="with duplicates")
    sizes = data.draw(st.lists(st.integers(1, 4), max_size=len(shuffled)), label="batch sizes")
    for batch in _batches(shuffled, sizes):
        example.deliver(batch)
    # then the graph holds exactly SQL's concepts and relations, each once, nothing open
    concepts, relations, synced = example.sql_state()
    graph_concepts, graph_relations = example.graph_state()
    if not example.sentinel_survived(sentinel):
        reject()  # another test run emptied the shared graph meanwhile
    assert len(graph_concepts) == len(set(graph_concepts)), "a concept exists twice"
    assert set(graph_concepts) == concepts
    assert graph_relations == relations
    assert synced == {(c[0], c[3]) for c in concepts}
    assert example.outbox_statuses() <= {"completed"}
