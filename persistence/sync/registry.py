"""Every mirror the sync knows, in one registry."""

from __future__ import annotations

from persistence.sync.concepts import ConceptRelationMirror, concept_mirror
from persistence.sync.courses import chapter_mirror, course_enrollment_mirror, course_mirror
from persistence.sync.learning import concept_progress_mirror, skill_mastery_mirror
from persistence.sync.mirror import MirrorRegistry
from persistence.sync.paths import learning_path_mirror, path_enrollment_mirror
from persistence.sync.theories import reading_mirror, skill_mirror, theory_mirror, video_mirror
from persistence.sync.users import user_mirror

__all__ = ["default_registry"]


def default_registry() -> MirrorRegistry:
    return MirrorRegistry(
        [
            user_mirror(),
            concept_mirror(),
            skill_mirror(),
            ConceptRelationMirror(),
            learning_path_mirror(),
            course_mirror(),
            chapter_mirror(),
            theory_mirror(),
            reading_mirror(),
            video_mirror(),
            path_enrollment_mirror(),
            concept_progress_mirror(),
            course_enrollment_mirror(),
            skill_mastery_mirror(),
        ]
    )
