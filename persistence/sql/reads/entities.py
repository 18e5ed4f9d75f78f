"""The entities the JSON reads know: attributes under their column names, and relations.

A relation `my_...` is the caller's own row: its condition compares with the `:viewer`
parameter (a user id, or null for an anonymous caller, which matches nothing).
"""

from __future__ import annotations

from persistence.sql.reads.shapes import Entity, Relation

__all__ = ["CONCEPT", "ENROLLMENT", "PATH", "PROGRESS"]

MINE = "{inner}.user_id = CAST(:viewer AS uuid)"


def _concept() -> Entity:
    return CONCEPT


def _progress() -> Entity:
    return PROGRESS


def _path() -> Entity:
    return PATH


def _enrollment() -> Entity:
    return ENROLLMENT


CONCEPT = Entity(
    table="concepts",
    attributes=frozenset(
        {
            "id",
            "name",
            "display_name",
            "description",
            "detailed_description",
            "domain",
            "category",
            "subcategory",
            "difficulty",
            "complexity_score",
            "cognitive_load",
            "key_terms",
            "synonyms",
            "learning_objectives",
            "practical_applications",
            "real_world_examples",
            "version",
        }
    ),
    relations={
        "my_progress": Relation(_progress, f"{{inner}}.concept_id = {{outer}}.id AND {MINE}"),
    },
)

PROGRESS = Entity(
    table="concept_progress",
    attributes=frozenset(
        {
            "concept_id",
            "status",
            "progress_percent",
            "mastery_score",
            "time_spent_seconds",
            "completed_at",
            "updated_at",
        }
    ),
    timestamps=frozenset({"completed_at", "updated_at"}),
    relations={"concept": Relation(_concept, "{inner}.id = {outer}.concept_id")},
)

PATH = Entity(
    table="learning_paths",
    attributes=frozenset(
        {
            "id",
            "title",
            "description",
            "category",
            "difficulty",
            "estimated_hours",
            "target_audience",
            "version",
        }
    ),
    relations={
        "my_enrollment": Relation(_enrollment, f"{{inner}}.path_id = {{outer}}.id AND {MINE}"),
    },
)

ENROLLMENT = Entity(
    table="path_enrollments",
    attributes=frozenset({"path_id", "status", "progress_percent", "enrolled_at"}),
    timestamps=frozenset({"enrolled_at"}),
    relations={"path": Relation(_path, "{inner}.id = {outer}.path_id")},
)
