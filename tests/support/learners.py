"""Small factories for learner-side tests: users, concepts, prerequisite links, paths, counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from domain.events import ChangeEvent, EntityType, EventType
from domain.security import hash_password
from persistence.sql.models import (
    Concept,
    ConceptRelation,
    LearningPath,
    LearningPathItem,
    User,
)
from persistence.sql.outbox import add_events

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

__all__ = ["PASSWORD", "count", "make_concept", "make_path", "make_user", "scalar"]

PASSWORD = "learner-password"


def make_user(
    engine: Engine, username: str, role: str = "student", *, recorded: bool = False
) -> uuid.UUID:
    """An active user; `recorded` also writes its outbox event, as registration does."""
    with Session(engine) as session, session.begin():
        user = User(
            username=username,
            email=f"{username}@example.org",
            password_hash=hash_password(PASSWORD),
            role=role,
            is_active=True,
        )
        session.add(user)
        session.flush()
        if recorded:
            created = ChangeEvent(EventType.ENTITY_CREATED, EntityType.USER, str(user.id))
            add_events(session, [created])
        return user.id


def make_concept(
    engine: Engine,
    name: str,
    prerequisites: Sequence[uuid.UUID] = (),
    *,
    author: uuid.UUID | None = None,
    recorded: bool = False,
) -> uuid.UUID:
    """A concept (created by author); each given prerequisite must be learned before it.
    `recorded` also writes its outbox event, as the product does, so the graph gets the node
    (edges never create the nodes they hang on)."""
    with Session(engine) as session, session.begin():
        concept = Concept(
            name=name, display_name=name.title(), difficulty="beginner", created_by=author
        )
        session.add(concept)
        session.flush()
        for source in prerequisites:
            session.add(
                ConceptRelation(source_id=source, target_id=concept.id, kind="prerequisite")
            )
        if recorded:
            created = ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id))
            add_events(session, [created])
        return concept.id


def make_path(
    engine: Engine,
    title: str,
    required: Sequence[uuid.UUID],
    optional: Sequence[uuid.UUID] = (),
    *,
    author: uuid.UUID | None = None,
) -> uuid.UUID:
    with Session(engine) as session, session.begin():
        path = LearningPath(title=title, difficulty="beginner", created_by=author)
        session.add(path)
        session.flush()
        items = [(c, True) for c in required] + [(c, False) for c in optional]
        for index, (concept_id, is_required) in enumerate(items):
            session.add(
                LearningPathItem(
                    path_id=path.id,
                    concept_id=concept_id,
                    order_index=index,
                    is_required=is_required,
                )
            )
        return path.id


def scalar(engine: Engine, sql: str, **params: object) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def count(engine: Engine, table: str, where: str = "true", **params: object) -> int:
    return int(scalar(engine, f"SELECT count(*) FROM {table} WHERE {where}", **params) or 0)  # noqa: S608  # test-only, fixed table names
