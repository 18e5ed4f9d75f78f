"""Graph-affecting change events, as collected during a unit of work."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ChangeEvent", "EntityType", "EventType"]


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
