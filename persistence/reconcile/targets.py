"""Where each mirrored entity type lives on both sides, in the order the merge-join needs.

Both sides are paged by their key as a string. SQL pages by its primary key (uuid, or a pair of
uuids), which orders exactly as the key's text does: a uuid compares byte by byte, and its
canonical text is fixed-width lowercase hex, so byte order and string order agree (and "a:b"
keys have a fixed-width left part). That keeps the primary key index in use. The graph pages by
the node's `id`, or for an edge by its `id` property or the ids of its ends.

Labels and relationship types come from this module, never from input.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, select, tuple_

from domain.events import EntityType
from persistence.sql import models
from persistence.sync.edges import split_key

__all__ = ["TARGETS", "Target", "key_equals", "key_filter", "source_key_page"]

RETURNED = (
    "RETURN id, x.version AS version, x.content_hash AS content_hash, "
    "properties(x) AS properties, {removal} AS removal ORDER BY id LIMIT $limit"
)


def _node(label: str) -> str:
    # x.id in the WHERE (not an alias) lets the planner page on the id index, in its order.
    return f"MATCH (x:{label}) WHERE x.id > $after{{ids}} WITH x, x.id AS id " + RETURNED.format(
        removal="null"
    )


def _edge(source: str, rel_type: str, target: str, *, reversed_key: bool = False) -> str:
    key = "t.id + ':' + s.id" if reversed_key else "s.id + ':' + t.id"
    return (
        f"MATCH (s:{source})-[x:{rel_type}]->(t:{target}) WITH x, {key} AS id "
        "WHERE id > $after{ids} " + RETURNED.format(removal="null")
    )


RELATIONS = (
    "MATCH (s:Concept)-[x:PREREQUISITE|RELATED_TO|BUILDS_UPON|PART_OF]->(t:Concept) "
    "WITH s, x, t, x.id AS id WHERE id > $after{ids} "
    + RETURNED.format(removal="{source_id: s.id, target_id: t.id, kind: toLower(type(x))}")
)


@dataclass(frozen=True)
class Target:
    """One entity type: its SQL table and key columns, and the Cypher that pages its graph side."""

    entity_type: EntityType
    model: Any
    key: tuple[Any, ...]
    page_text: str
    filtered_key: str = "id"  # what the WHERE of page_text compares with $after

    def graph_page(self, *, with_ids: bool) -> str:
        """Cypher for one page ($after, $limit), optionally only for the keys in $ids."""
        ids = f" AND {self.filtered_key} IN $ids" if with_ids else ""
        return self.page_text.replace("{ids}", ids)


def _versioned(entity_type: EntityType, model: Any, label: str) -> Target:
    return Target(entity_type, model, (model.id,), _node(label), filtered_key="x.id")


def _pair(entity_type: EntityType, model: Any, left: str, right: str, text: str) -> Target:
    return Target(entity_type, model, (getattr(model, left), getattr(model, right)), text)


TARGETS: dict[EntityType, Target] = {
    target.entity_type: target
    for target in (
        _versioned(EntityType.USER, models.User, "User"),
        _versioned(EntityType.CONCEPT, models.Concept, "Concept"),
        _versioned(EntityType.SKILL, models.Skill, "Skill"),
        Target(
            EntityType.CONCEPT_RELATION,
            models.ConceptRelation,
            (models.ConceptRelation.id,),
            RELATIONS,
        ),
        _versioned(EntityType.LEARNING_PATH, models.LearningPath, "LearningPath"),
        _versioned(EntityType.COURSE, models.Course, "Course"),
        _versioned(EntityType.CHAPTER, models.Chapter, "Chapter"),
        _versioned(EntityType.THEORY, models.Theory, "Theory"),
        _versioned(EntityType.READING, models.Reading, "Reading"),
        _versioned(EntityType.VIDEO, models.Video, "Video"),
        _pair(
            EntityType.PATH_ENROLLMENT,
            models.PathEnrollment,
            "user_id",
            "path_id",
            _edge("User", "ENROLLED_IN_PATH", "LearningPath"),
        ),
        _pair(
            EntityType.CONCEPT_PROGRESS,
            models.ConceptProgress,
            "user_id",
            "concept_id",
            _edge("User", "HAS_PROGRESS", "Concept"),
        ),
        _pair(
            EntityType.COURSE_ENROLLMENT,
            models.CourseEnrollment,
            "course_id",
            "student_id",
            _edge("User", "ENROLLED_IN_CLASS", "Course", reversed_key=True),
        ),
        _pair(
            EntityType.SKILL_MASTERY,
            models.SkillMastery,
            "user_id",
            "skill_id",
            _edge("User", "MASTERS_SKILL", "Skill"),
        ),
    )
}


def _parts(target: Target, entity_id: str) -> tuple[uuid.UUID, ...] | None:
    if len(target.key) == 2:
        return split_key(entity_id)
    try:
        return (uuid.UUID(entity_id),)
    except ValueError:
        return None


def key_filter(target: Target, entity_ids: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition: the row's key is one of entity_ids (ids that name no row are skipped)."""
    keys = [parts for value in entity_ids if (parts := _parts(target, value)) is not None]
    return tuple_(*target.key).in_(keys) if keys else false()


def key_equals(target: Target, parts: Sequence[Any]) -> ColumnElement[bool]:
    return and_(*[column == value for column, value in zip(target.key, parts, strict=True)])


def source_key_page(
    target: Target, *, after: str | None, limit: int, entity_ids: Sequence[str] | None
) -> Select[Any]:
    """The next `limit` SQL keys after `after`, in key order."""
    query = select(*target.key).order_by(*target.key).limit(limit)
    last = _parts(target, after) if after is not None else None
    if last is not None:
        query = query.where(tuple_(*target.key) > tuple_(*last))
    if entity_ids is not None:
        query = query.where(key_filter(target, entity_ids))
    return query
