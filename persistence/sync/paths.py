"""Learning paths (nodes with their CONTAINS items) and learners' enrollment in them."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import LearningPath, LearningPathItem, PathEnrollment
from persistence.sync.edges import EdgeEnd, EdgeMirror
from persistence.sync.nodes import NodeMirror
from persistence.sync.structure import LinkSet

__all__ = ["learning_path_mirror", "path_enrollment_mirror"]

PATH_PROPERTIES = ("title", "difficulty", "category", "estimated_hours")


def learning_path_mirror() -> NodeMirror:
    """(:LearningPath)-[:CONTAINS {order_index, is_required}]->(:Concept), items as in SQL."""
    contains = LinkSet(
        rel_type="CONTAINS",
        target_label="Concept",
        owner=LearningPathItem.path_id,
        target=LearningPathItem.concept_id,
        properties=(LearningPathItem.order_index, LearningPathItem.is_required),
    )
    return NodeMirror(
        entity_type=EntityType.LEARNING_PATH,
        label="LearningPath",
        model=LearningPath,
        properties=PATH_PROPERTIES,
        links=(contains,),
        order=30,
    )


def path_enrollment_mirror() -> EdgeMirror:
    """(:User)-[:ENROLLED_IN_PATH {status, progress_percent}]->(:LearningPath)."""
    return EdgeMirror(
        entity_type=EntityType.PATH_ENROLLMENT,
        rel_type="ENROLLED_IN_PATH",
        key=(PathEnrollment.user_id, PathEnrollment.path_id),
        source=EdgeEnd("User", PathEnrollment.user_id),
        target=EdgeEnd("LearningPath", PathEnrollment.path_id),
        properties={
            "status": PathEnrollment.status,
            "progress_percent": PathEnrollment.progress_percent,
        },
        version=PathEnrollment.version,
        order=70,
    )
