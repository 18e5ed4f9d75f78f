"""What the demo learners have done, dated in days before the seed run.

alice studied today, yesterday and the day before (a three-day streak ending today); her path
enrollments' progress is derived from these concept rows when they are loaded. The awards are
exactly those the learners' figures earn (tests/integration/test_badges.py checks that the
rules find nothing left to award).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ATTEMPTS",
    "AWARDS",
    "ENROLLMENTS",
    "PROGRESS",
    "SESSIONS",
    "SKILL_MASTERY",
    "Attempt",
    "Award",
    "Mastery",
    "Progress",
    "Session",
]


class Progress(NamedTuple):
    user: str
    concept: str
    status: str
    percent: float
    mastery: float
    minutes: int
    completed_days_ago: int | None = None


class Session(NamedTuple):
    user: str
    concept: str
    days_ago: int
    minutes: int


class Attempt(NamedTuple):
    """answers: one list of given answers per question, in question order."""

    user: str
    quiz: str
    days_ago: int
    answers: list[list[str]]


class Mastery(NamedTuple):
    user: str
    skill: str
    mastery: float
    confidence: float
    trend: str
    category: str
    assessments: int


class Award(NamedTuple):
    user: str
    code: str
    days_ago: int


PROGRESS = [
    Progress("alice", "programming_basics", "mastered", 100, 0.95, 90, 6),
    Progress("alice", "html_css", "completed", 100, 0.7, 40, 5),
    Progress("alice", "statistics", "completed", 100, 0.75, 80, 2),
    Progress("alice", "data_structures", "completed", 100, 0.8, 120, 1),
    Progress("alice", "python_programming", "in_progress", 65, 0.5, 60),
    Progress("bob", "programming_basics", "completed", 100, 0.7, 50, 2),
    Progress("bob", "html_css", "in_progress", 40, 0.3, 25),
]

ENROLLMENTS = [
    ("alice", "Programming Essentials"),
    ("alice", "Data Science Track"),
    ("bob", "Web Development Bootcamp"),
]

SESSIONS = [
    Session("alice", "python_programming", 0, 35),
    Session("alice", "data_structures", 1, 50),
    Session("alice", "statistics", 2, 40),
    Session("alice", "programming_basics", 5, 30),
    Session("bob", "html_css", 1, 25),
    Session("bob", "programming_basics", 4, 30),
]

ATTEMPTS = [
    Attempt(
        "alice",
        "Programming Basics Check",
        5,
        [["while"], ["conditionals", "loops", "function calls"], ["def"]],
    ),
    Attempt("alice", "Data Structures Fundamentals", 2, [["hash table"], ["stack"], ["leaf"]]),
    Attempt(
        "alice", "Data Structures Fundamentals", 1, [["hash table"], ["stack", "queue"], ["leaf"]]
    ),
    Attempt(
        "bob", "Programming Basics Check", 3, [["while"], ["conditionals", "comments"], ["def"]]
    ),
]

SKILL_MASTERY = [
    Mastery("alice", "Writing conditionals and loops", 0.9, 0.8, "improving", "mastered", 4),
    Mastery(
        "alice", "Decomposing problems into functions", 0.65, 0.6, "improving", "proficient", 2
    ),
    Mastery("alice", "Choosing a data structure", 0.7, 0.55, "stable", "proficient", 3),
    Mastery("bob", "Writing conditionals and loops", 0.45, 0.4, "improving", "developing", 2),
]

AWARDS = [
    Award("alice", "first_concept_completed", 6),
    Award("alice", "first_concept_mastered", 6),
    Award("alice", "first_quiz_passed", 5),
    Award("alice", "three_day_streak", 0),
    Award("bob", "first_concept_completed", 2),
    # badges (the catalogue is domain/badges.py)
    Award("alice", "first_mastery", 6),
    Award("alice", "perfect_quiz", 5),
    Award("alice", "streak_3", 0),
]
