"""Applying outbox events in-process, against real stores, to check the graph mirrors."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import sync_session_factory
from persistence.sql.models import Concept, LearningPath, User
from persistence.sql.outbox import add_events
from persistence.sync.apply import AppliedBatch, apply_events
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from neo4j import Driver
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings

__all__ = ["MirroredKey", "World", "concept", "key", "path", "user"]

MirroredKey = tuple[EntityType, str]


class World:
    """The test's SQL rows, their outbox events, and the graph they are applied to."""

    def __init__(self, engine: Engine, graph: Driver, settings: Settings) -> None:
        self.sessions: sessionmaker[Session] = sync_session_factory(engine)
        self.graph = graph
        self.database = settings.neo4j_database
        self.registry = default_registry()

    def add(self, *rows: Any) -> None:
        with self.sessions.begin() as session:
            session.add_all(rows)

    def synced(self, *rows: Any) -> None:
        """Add node rows and apply their events: the graph holds them, as once they synced."""
        self.add(*rows)
        kinds = {
            mirror.target.model: mirror.entity_type
            for mirror in self.registry.ordered()
            if mirror.node_label
        }
        self.apply(*[(kinds[type(row)], str(row.id)) for row in rows])

    def execute(self, *statements: Any) -> None:
        with self.sessions.begin() as session:
            for statement in statements:
                session.execute(statement)

    def apply(self, *keys: MirroredKey, deleted: bool = False) -> AppliedBatch:
        kind = EventType.ENTITY_DELETED if deleted else EventType.ENTITY_UPDATED
        events = [ChangeEvent(kind, entity_type, entity_id) for entity_type, entity_id in keys]
        with self.sessions.begin() as session:
            ids = add_events(session, events)
        return apply_events(
            self.sessions,
            self.graph,
            database=self.database,
            registry=self.registry,
            event_ids=ids,
        )

    def query(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.graph.execute_query(cypher, params, database_=self.database)
        return [record.data() for record in records]

    def dump(self) -> tuple[list[Any], list[Any]]:
        """Every node and edge with labels and properties, in a stable order."""
        nodes = self.query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS p")
        edges = self.query(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b"
        )
        return sorted(map(repr, nodes)), sorted(map(repr, edges))


def user(name: str, role: str = "student") -> User:
    return User(
        id=uuid.uuid4(), username=name, email=f"{name}@example.org", password_hash="x", role=role
    )


def concept(name: str) -> Concept:
    return Concept(id=uuid.uuid4(), name=name, display_name=name.title(), difficulty="beginner")


def path(title: str, version: int = 1) -> LearningPath:
    return LearningPath(id=uuid.uuid4(), title=title, difficulty="beginner", version=version)


def key(entity_type: EntityType, *ids: uuid.UUID) -> MirroredKey:
    return entity_type, ":".join(map(str, ids))
