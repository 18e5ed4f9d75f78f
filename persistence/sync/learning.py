"""A learner's standing: progress on concepts and mastery of skills, as edges from the user."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import ConceptProgress, SkillMastery
from persistence.sync.edges import EdgeEnd, EdgeMirror, learner_edge

__all__ = ["concept_progress_mirror", "skill_mastery_mirror"]


def concept_progress_mirror() -> EdgeMirror:
    """(:User)-[:HAS_PROGRESS {status, progress_percent, mastery, updated_at}]->(:Concept)."""
    progress = ConceptProgress
    return learner_edge(
        EntityType.CONCEPT_PROGRESS,
        "HAS_PROGRESS",
        EdgeEnd("Concept", progress.concept_id),
        {
            "status": progress.status,
            "progress_percent": progress.progress_percent,
            "mastery": progress.mastery_score,
            "updated_at": progress.updated_at,
        },
    )


def skill_mastery_mirror() -> EdgeMirror:
    """(:User)-[:MASTERS_SKILL {current_mastery, confidence, trend, ...}]->(:Skill)."""
    mastery = SkillMastery
    names = ("current_mastery", "confidence", "trend", "num_assessments", "mastery_category")
    properties = {name: getattr(mastery, name) for name in (*names, "updated_at")}
    return learner_edge(
        EntityType.SKILL_MASTERY, "MASTERS_SKILL", EdgeEnd("Skill", mastery.skill_id), properties
    )
