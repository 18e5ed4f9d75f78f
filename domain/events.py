"""Graph-affecting change events, as collected during a unit of work."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FINISHED_STATUSES",
    "OPEN_STATUSES",
    "RETRYABLE_STATUSES",
    "ChangeEvent",
    "EntityType",
    "EventType",
    "SyncEventStatus",
]


class EventType(enum.StrEnum):
    ENTITY_CREATED = "entity_created"
    ENTITY_UPDATED = "entity_updated"
    ENTITY_DELETED = "entity_deleted"
    RELATIONSHIP_CREATED = "relationship_created"
    RELATIONSHIP_UPDATED = "relationship_updated"
    RELATIONSHIP_DELETED = "relationship_deleted"
    USER_CREATED = "user_created"
    USER_UPDATED = "user_updated"
    USER_DELETED = "user_deleted"


class SyncEventStatus(enum.StrEnum):
    """Where an outbox event is on its way to the graph (`outbox_events.status`)."""

    PENDING = "pending"
    PUBLISHED = "published"
    COMPLETED = "completed"
    FAILED = "failed"
    DEAD = "dead"


# Events not yet applied that a worker or the relay still handles.
OPEN_STATUSES = (SyncEventStatus.PENDING, SyncEventStatus.PUBLISHED, SyncEventStatus.FAILED)
# The others: applied, or given up on until an operator retries them.
FINISHED_STATUSES = (SyncEventStatus.COMPLETED, SyncEventStatus.DEAD)
# Events an operator may put back in the queue.
RETRYABLE_STATUSES = (SyncEventStatus.FAILED, SyncEventStatus.DEAD)


class EntityType(enum.StrEnum):
    """Everything the graph mirrors (SPEC section 2), one value per SQL entity."""

    USER = "user"
    CONCEPT = "concept"
    CONCEPT_RELATION = "concept_relation"
    LEARNING_PATH = "learning_path"
    PATH_ENROLLMENT = "path_enrollment"
    CONCEPT_PROGRESS = "concept_progress"
    COURSE = "course"
    COURSE_ENROLLMENT = "course_enrollment"
    CHAPTER = "chapter"
    THEORY = "theory"
    SKILL = "skill"
    READING = "reading"
    VIDEO = "video"
    SKILL_MASTERY = "skill_mastery"


@dataclass(frozen=True)
class ChangeEvent:
    """One change the graph must learn of; entity_id is the SQL key as a string."""

    event_type: EventType
    entity_type: EntityType
    entity_id: str
    source_version: int = 0
    payload: dict[str, Any] = field(default_factory=dict)
