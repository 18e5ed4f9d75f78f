"""Course content under chapters: theories, the skills they teach, their readings and videos."""

from __future__ import annotations

from typing import Any

from domain.events import EntityType
from persistence.sql.models import (
    Reading,
    Skill,
    Theory,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from persistence.sync.courses import CONTAINMENT
from persistence.sync.nodes import NodeMirror
from persistence.sync.structure import Chain, LinkSet, ParentLink

__all__ = ["reading_mirror", "skill_mirror", "theory_mirror", "video_mirror"]


def skill_mirror() -> NodeMirror:
    return NodeMirror(
        entity_type=EntityType.SKILL, label="Skill", model=Skill, properties=("name",), order=10
    )


def theory_mirror() -> NodeMirror:
    """(:Chapter)-[:HAS_THEORY]->(:Theory) chained by NEXT_THEORY, with HAS_SKILL / HAS_CONCEPT."""
    skills = LinkSet("HAS_SKILL", "Skill", theory_skills.c.theory_id, theory_skills.c.skill_id)
    concepts = LinkSet(
        "HAS_CONCEPT", "Concept", theory_concepts.c.theory_id, theory_concepts.c.concept_id
    )
    return NodeMirror(
        entity_type=EntityType.THEORY,
        label="Theory",
        model=Theory,
        properties=("name", "summary", "order_index"),
        parent=ParentLink("Chapter", "HAS_THEORY", Theory.chapter_id),
        links=(skills, concepts),
        chain=Chain("NEXT_THEORY"),
        cascade=CONTAINMENT,
        order=50,
    )


def _material(
    entity_type: EntityType, label: str, model: Any, rel_type: str, concepts: Any
) -> NodeMirror:
    owner = next(column for column in concepts.c if column.name != "concept_id")
    return NodeMirror(
        entity_type=entity_type,
        label=label,
        model=model,
        properties=("title", "url", "order_index"),
        parent=ParentLink("Theory", rel_type, model.theory_id),
        links=(LinkSet("COVERS_CONCEPT", "Concept", owner, concepts.c.concept_id),),
        order=60,
    )


def reading_mirror() -> NodeMirror:
    """(:Theory)-[:HAS_READING]->(:Reading)-[:COVERS_CONCEPT]->(:Concept)."""
    return _material(EntityType.READING, "Reading", Reading, "HAS_READING", reading_concepts)


def video_mirror() -> NodeMirror:
    """(:Theory)-[:HAS_VIDEO]->(:Video)-[:COVERS_CONCEPT]->(:Concept)."""
    return _material(EntityType.VIDEO, "Video", Video, "HAS_VIDEO", video_concepts)
