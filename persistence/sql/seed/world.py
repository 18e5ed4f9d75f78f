"""Loading the whole demo world in one transaction, idempotently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from persistence.sql.outbox import add_events
from persistence.sql.seed.content import load_concepts, load_paths, load_relations
from persistence.sql.seed.course import load_course, load_skills
from persistence.sql.seed.data.lessons import LESSONS
from persistence.sql.seed.history import (
    load_achievements,
    load_learning_sessions,
    load_quiz_attempts,
)
from persistence.sql.seed.lessons import load_lesson_progress, load_lessons
from persistence.sql.seed.people import load_people
from persistence.sql.seed.progress import (
    load_concept_progress,
    load_path_enrollments,
    load_skill_mastery,
)
from persistence.sql.seed.quizzes import load_quizzes
from persistence.sql.seed.seeding import Seeding

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["load_demo_world"]


def load_demo_world(session: Session, *, now: datetime | None = None) -> str:
    """Adds what is missing of the demo world (found by unique keys) and one outbox event per
    new mirrored row; a second run adds and changes nothing. Returns a one-line summary."""
    seeding = Seeding(session, now or datetime.now(UTC))
    users = load_people(seeding)
    author = users["teacher"].id
    concepts = load_concepts(seeding, author=author)
    relations = load_relations(seeding, concepts)
    paths = load_paths(seeding, concepts, author=author)
    skills = load_skills(seeding)
    load_course(seeding, users, concepts, skills)
    quizzes = load_quizzes(seeding, concepts, author=author)
    load_lessons(seeding, concepts)
    load_concept_progress(seeding, users, concepts)
    load_lesson_progress(seeding, users, concepts)
    load_path_enrollments(seeding, users, paths)
    load_skill_mastery(seeding, users, skills)
    load_learning_sessions(seeding, users, concepts)
    load_quiz_attempts(seeding, users, quizzes)
    load_achievements(seeding, users)
    session.flush()
    add_events(session, seeding.events)
    return (
        f"{len(concepts)} concepts, {relations} relations, {len(paths)} paths, "
        f"{len(users)} demo users, {len(skills)} skills, {len(quizzes)} quizzes, "
        f"{sum(map(len, LESSONS.values()))} lessons; "
        f"{seeding.total_created} new rows, {len(seeding.events)} outbox events"
    )
