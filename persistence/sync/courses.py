"""Courses: the course node with its teacher, enrolled students, and its ordered chapters."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import Chapter, Course, CourseEnrollment
from persistence.sync.edges import EdgeEnd, EdgeMirror
from persistence.sync.nodes import NodeMirror
from persistence.sync.structure import Chain, ParentLink

__all__ = ["CONTAINMENT", "chapter_mirror", "course_enrollment_mirror", "course_mirror"]

# Edges along which SQL cascades a delete: course > chapter > theory > reading / video.
CONTAINMENT = ("COVERS_CHAPTER", "HAS_THEORY", "HAS_READING", "HAS_VIDEO")


def course_mirror() -> NodeMirror:
    """(:Course), and (:User) -[:TEACHES_CLASS]-> it from its teacher_id (moved on change)."""
    return NodeMirror(
        entity_type=EntityType.COURSE,
        label="Course",
        model=Course,
        properties=("title",),
        parent=ParentLink("User", "TEACHES_CLASS", Course.teacher_id),
        cascade=CONTAINMENT,
        order=30,
    )


def course_enrollment_mirror() -> EdgeMirror:
    """(:User)-[:ENROLLED_IN_CLASS]->(:Course); the row has no version, so presence is 1."""
    return EdgeMirror(
        entity_type=EntityType.COURSE_ENROLLMENT,
        rel_type="ENROLLED_IN_CLASS",
        key=(CourseEnrollment.course_id, CourseEnrollment.student_id),
        source=EdgeEnd("User", CourseEnrollment.student_id),
        target=EdgeEnd("Course", CourseEnrollment.course_id),
        properties={},
        version=None,
        order=70,
    )


def chapter_mirror() -> NodeMirror:
    """(:Course)-[:COVERS_CHAPTER]->(:Chapter), chained by NEXT_CHAPTER in SQL order."""
    return NodeMirror(
        entity_type=EntityType.CHAPTER,
        label="Chapter",
        model=Chapter,
        properties=("name", "order_index"),
        parent=ParentLink("Course", "COVERS_CHAPTER", Chapter.course_id),
        chain=Chain("NEXT_CHAPTER"),
        cascade=CONTAINMENT,
        order=40,
    )
