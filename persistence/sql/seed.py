"""The demo world: concepts and their links, loaded idempotently (by unique name)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.models import Concept, ConceptRelation
from persistence.sql.outbox import add_events

__all__ = ["load_demo_world"]

CONCEPTS: list[dict[str, Any]] = [
    {
        "name": "programming_basics",
        "display_name": "Programming Basics",
        "difficulty": "beginner",
        "domain": "computer_science",
        "category": "programming",
        "description": "Variables, control flow and functions.",
    },
    {
        "name": "data_structures",
        "display_name": "Data Structures",
        "difficulty": "intermediate",
        "domain": "computer_science",
        "category": "programming",
        "description": "Arrays, lists, trees, graphs and hash tables.",
    },
    {
        "name": "algorithms",
        "display_name": "Algorithms",
        "difficulty": "intermediate",
        "domain": "computer_science",
        "category": "programming",
        "description": "Sorting, searching and complexity.",
    },
    {
        "name": "machine_learning",
        "display_name": "Machine Learning",
        "difficulty": "advanced",
        "domain": "computer_science",
        "category": "artificial_intelligence",
        "description": "Models that learn from data.",
    },
    {
        "name": "web_development",
        "display_name": "Web Development",
        "difficulty": "beginner",
        "domain": "computer_science",
        "category": "web",
        "description": "Building sites and applications for the browser.",
    },
]

PREREQUISITES = [
    ("programming_basics", "data_structures", 0.9),
    ("data_structures", "algorithms", 0.8),
    ("algorithms", "machine_learning", 0.7),
    ("programming_basics", "web_development", 0.6),
]


def _concepts(session: Session) -> tuple[dict[str, Concept], list[ChangeEvent]]:
    existing = {c.name: c for c in session.scalars(select(Concept)).all()}
    events = []
    for fields in CONCEPTS:
        if fields["name"] not in existing:
            concept = Concept(**fields, version=1)
            session.add(concept)
            session.flush()
            existing[concept.name] = concept
            events.append(
                ChangeEvent(EventType.ENTITY_CREATED, EntityType.CONCEPT, str(concept.id), 1)
            )
    return existing, events


def _prerequisites(session: Session, concepts: dict[str, Concept]) -> list[ChangeEvent]:
    events = []
    for source, target, strength in PREREQUISITES:
        key = (concepts[source].id, concepts[target].id, "prerequisite")
        found = session.scalar(
            select(ConceptRelation).where(
                ConceptRelation.source_id == key[0],
                ConceptRelation.target_id == key[1],
                ConceptRelation.kind == key[2],
            )
        )
        if found is None:
            relation = ConceptRelation(
                source_id=key[0], target_id=key[1], kind=key[2], strength=strength, version=1
            )
            session.add(relation)
            session.flush()
            events.append(
                ChangeEvent(
                    EventType.RELATIONSHIP_CREATED, EntityType.CONCEPT_RELATION, str(relation.id), 1
                )
            )
    return events


def load_demo_world(session: Session) -> str:
    concepts, events = _concepts(session)
    events += _prerequisites(session, concepts)
    add_events(session, events)
    return f"{len(concepts)} concepts, {len(events)} new rows"
