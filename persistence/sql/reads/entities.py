"""The entities the JSON reads know: a model's columns (derived from it) and relations.

A relation `my_...` is the caller's own row: its condition compares with the `:viewer`
parameter (a user id, or null for an anonymous caller, which matches nothing).
"""

from __future__ import annotations

from persistence.sql.models import Concept, ConceptProgress, LearningPath, PathEnrollment
from persistence.sql.reads.shapes import Entity, Relation, entity_of

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


CONCEPT = entity_of(
    Concept,
    my_progress=Relation(_progress, f"{{inner}}.concept_id = {{outer}}.id AND {MINE}"),
)
PROGRESS = entity_of(ConceptProgress, concept=Relation(_concept, "{inner}.id = {outer}.concept_id"))
PATH = entity_of(
    LearningPath,
    my_enrollment=Relation(_enrollment, f"{{inner}}.path_id = {{outer}}.id AND {MINE}"),
)
ENROLLMENT = entity_of(PathEnrollment, path=Relation(_path, "{inner}.id = {outer}.path_id"))
