"""Uniqueness constraints and indexes the graph needs, created idempotently."""

from __future__ import annotations

from neo4j import Driver

__all__ = ["NODE_LABELS", "ensure_schema"]

NODE_LABELS = (
    "User",
    "Concept",
    "LearningPath",
    "Course",
    "Chapter",
    "Theory",
    "Skill",
    "Reading",
    "Video",
)
RELATIONSHIP_ID_INDEXES = (
    "PREREQUISITE",
    "RELATED_TO",
    "BUILDS_UPON",
    "PART_OF",
    "ENROLLED_IN_PATH",
    "HAS_PROGRESS",
    "ENROLLED_IN_CLASS",
    "MASTERS_SKILL",
)


def _statements() -> list[str]:
    # Labels and types come from the fixed tuples above, never from input.
    unique = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_LABELS
    ]
    edges = [
        f"CREATE INDEX {kind.lower()}_id IF NOT EXISTS FOR ()-[r:{kind}]-() ON (r.id)"
        for kind in RELATIONSHIP_ID_INDEXES
    ]
    names = ["CREATE INDEX concept_name IF NOT EXISTS FOR (n:Concept) ON (n.name)"]
    return unique + edges + names


def ensure_schema(driver: Driver, *, database: str) -> None:
    for statement in _statements():
        driver.execute_query(statement, database_=database)
