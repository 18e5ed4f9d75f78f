"""All demo concepts, and how they relate: prerequisites (acyclic), related and builds-upon."""

from __future__ import annotations

from typing import Any, NamedTuple

from persistence.sql.seed.data.concepts_data_science import DATA_SCIENCE_CONCEPTS
from persistence.sql.seed.data.concepts_programming import PROGRAMMING_CONCEPTS
from persistence.sql.seed.data.concepts_systems_web import SYSTEMS_AND_WEB_CONCEPTS

__all__ = ["CONCEPTS", "RELATIONS", "Relation"]

CONCEPTS: list[dict[str, Any]] = [
    *PROGRAMMING_CONCEPTS,
    *DATA_SCIENCE_CONCEPTS,
    *SYSTEMS_AND_WEB_CONCEPTS,
]


class Relation(NamedTuple):
    """source -[kind]-> target; for prerequisites the source is learned first."""

    source: str
    target: str
    kind: str
    strength: float
    reason: str


def _prerequisite(source: str, target: str, strength: float, reason: str) -> Relation:
    return Relation(source, target, "prerequisite", strength, reason)


PREREQUISITES = [
    _prerequisite(
        "programming_basics",
        "python_programming",
        0.9,
        "Python assumes variables, loops and functions.",
    ),
    _prerequisite(
        "programming_basics",
        "data_structures",
        0.9,
        "Structures are built and used with basic code.",
    ),
    _prerequisite(
        "programming_basics",
        "object_oriented_programming",
        0.8,
        "Classes bundle functions and state.",
    ),
    _prerequisite(
        "python_programming",
        "object_oriented_programming",
        0.6,
        "The course teaches OOP in Python.",
    ),
    _prerequisite("data_structures", "algorithms", 0.9, "Algorithms operate on data structures."),
    _prerequisite(
        "discrete_mathematics", "algorithms", 0.6, "Complexity analysis uses proofs and counting."
    ),
    _prerequisite("programming_basics", "javascript", 0.7, "JavaScript assumes basic programming."),
    _prerequisite("html_css", "javascript", 0.6, "Scripts manipulate HTML elements and styles."),
    _prerequisite("html_css", "web_development", 0.9, "Every web page is HTML and CSS."),
    _prerequisite("javascript", "web_development", 0.9, "Interactive front ends run JavaScript."),
    _prerequisite("data_structures", "databases", 0.6, "Indexes are trees and hash tables."),
    _prerequisite(
        "python_programming", "data_visualization", 0.6, "Charts are drawn with Python libraries."
    ),
    _prerequisite("statistics", "data_visualization", 0.5, "Charts summarize distributions."),
    _prerequisite(
        "statistics", "machine_learning", 0.9, "Models are estimated and evaluated statistically."
    ),
    _prerequisite("linear_algebra", "machine_learning", 0.85, "Data sets and models are matrices."),
    _prerequisite("algorithms", "machine_learning", 0.7, "Training is an optimization algorithm."),
    _prerequisite(
        "python_programming", "machine_learning", 0.8, "The ML tool chain is written in Python."
    ),
    _prerequisite(
        "machine_learning",
        "deep_learning",
        0.95,
        "Deep learning is machine learning with neural networks.",
    ),
    _prerequisite("linear_algebra", "deep_learning", 0.8, "Layers are matrix multiplications."),
    _prerequisite(
        "programming_basics",
        "computer_architecture",
        0.5,
        "Instructions are what programs compile to.",
    ),
    _prerequisite(
        "computer_architecture", "operating_systems", 0.85, "The OS manages the hardware."
    ),
    _prerequisite(
        "data_structures", "operating_systems", 0.6, "Schedulers use queues and page tables trees."
    ),
    _prerequisite(
        "operating_systems", "computer_networks", 0.5, "Network stacks live in the kernel."
    ),
    _prerequisite(
        "computer_networks", "distributed_systems", 0.9, "Distributed nodes talk over networks."
    ),
    _prerequisite(
        "operating_systems", "distributed_systems", 0.8, "Each node is a process on an OS."
    ),
]

LINKS = [
    Relation(
        "databases",
        "web_development",
        "related_to",
        0.7,
        "Web applications store their data in databases.",
    ),
    Relation(
        "linear_algebra", "statistics", "related_to", 0.6, "Regression is linear algebra on data."
    ),
    Relation(
        "computer_networks",
        "web_development",
        "related_to",
        0.6,
        "The web runs on HTTP over TCP/IP.",
    ),
    Relation(
        "version_control",
        "web_development",
        "related_to",
        0.5,
        "Web projects are developed with Git.",
    ),
    Relation(
        "discrete_mathematics",
        "linear_algebra",
        "related_to",
        0.4,
        "Both are mathematics for computing.",
    ),
    Relation(
        "databases",
        "discrete_mathematics",
        "builds_upon",
        0.6,
        "The relational model is set theory.",
    ),
    Relation(
        "distributed_systems",
        "databases",
        "builds_upon",
        0.7,
        "Replicated databases are distributed systems.",
    ),
    Relation(
        "data_visualization", "databases", "builds_upon", 0.4, "Dashboards query data stores."
    ),
]

RELATIONS: list[Relation] = PREREQUISITES + LINKS
