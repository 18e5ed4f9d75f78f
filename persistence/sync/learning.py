"""A learner's standing: progress on concepts and mastery of skills, as edges from the user."""

from __future__ import annotations

from domain.events import EntityType
from persistence.sql.models import ConceptProgress, SkillMastery
from persistence.sync.edges import EdgeEnd, EdgeMirror

__all__ = ["concept_progress_mirror", "skill_mastery_mirror"]


def concept_progress_mirror() -> EdgeMirror:
    """(:User)-[:HAS_PROGRESS {status, progress_percent, mastery, updated_at}]->(:Concept)."""
    return EdgeMirror(
        entity_type=EntityType.CONCEPT_PROGRESS,
        rel_type="HAS_PROGRESS",
        key=(ConceptProgress.user_id, ConceptProgress.concept_id),
        source=EdgeEnd("User", ConceptProgress.user_id),
        target=EdgeEnd("Concept", ConceptProgress.concept_id),
        properties={
            "status": ConceptProgress.status,
            "progress_percent": ConceptProgress.progress_percent,
            "mastery": ConceptProgress.mastery_score,
            "updated_at": ConceptProgress.updated_at,
        },
        version=ConceptProgress.version,
        order=70,
    )


def skill_mastery_mirror() -> EdgeMirror:
    """(:User)-[:MASTERS_SKILL {current_mastery, confidence, trend, ...}]->(:Skill)."""
    return EdgeMirror(
        entity_type=EntityType.SKILL_MASTERY,
        rel_type="MASTERS_SKILL",
        key=(SkillMastery.user_id, SkillMastery.skill_id),
        source=EdgeEnd("User", SkillMastery.user_id),
        target=EdgeEnd("Skill", SkillMastery.skill_id),
        properties={
            "current_mastery": SkillMastery.current_mastery,
            "confidence": SkillMastery.confidence,
            "trend": SkillMastery.trend,
            "num_assessments": SkillMastery.num_assessments,
            "mastery_category": SkillMastery.mastery_category,
            "updated_at": SkillMastery.updated_at,
        },
        version=SkillMastery.version,
        order=70,
    )
