"""Learning paths (nodes with their CONTAINS items) and learners' enrollment in them."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import LearningPath, LearningPathItem, PathEnrollment
from persistence.sync.edges import EdgeEnd, EdgeMirror, learner_edge
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
    enrollment = PathEnrollment
    return learner_edge(
        EntityType.PATH_ENROLLMENT,
        "ENROLLED_IN_PATH",
        EdgeEnd("LearningPath", enrollment.path_id),
        {"status": enrollment.status, "progress_percent": enrollment.progress_percent},
    )
