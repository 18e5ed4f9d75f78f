"""The demo concepts' lessons and the demo learners' completed lessons (SQL only: the graph
mirrors neither)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from domain.progress import LessonStatus
from persistence.sql.models import Concept, Lesson, LessonProgress, User
from persistence.sql.seed.data.lessons import LESSONS, LESSONS_DONE, LessonSeed

if TYPE_CHECKING:
    import uuid

    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_lesson_progress", "load_lessons"]


def load_lessons(seeding: Seeding, concepts: dict[str, Concept]) -> None:
    """A concept's demo lessons are written once: none are added to a concept that has any."""
    for name, lessons in LESSONS.items():
        concept_id = concepts[name].id
        if _lesson_ids(seeding, concept_id):
            continue
        seeding.session.add_all(
            _lesson(concept_id, place, lesson) for place, lesson in enumerate(lessons)
        )
        seeding.row_created("lesson", len(lessons))
    seeding.session.flush()


def _lesson(concept_id: uuid.UUID, place: int, lesson: LessonSeed) -> Lesson:
    return Lesson(
        concept_id=concept_id,
        title=lesson.title,
        summary=lesson.summary,
        body=f"# {lesson.title}\n\n{lesson.summary}\n",
        content_type=lesson.content_type,
        duration_minutes=lesson.minutes,
        order_index=place,
        version=1,
    )


def _lesson_ids(seeding: Seeding, concept_id: uuid.UUID) -> list[uuid.UUID]:
    query = select(Lesson.id).where(Lesson.concept_id == concept_id).order_by(Lesson.order_index)
    return list(seeding.session.scalars(query))


def load_lesson_progress(
    seeding: Seeding, users: dict[str, User], concepts: dict[str, Concept]
) -> None:
    """A learner's first lessons of a concept, completed; skipped when they completed any."""
    for entry in LESSONS_DONE:
        user_id = users[entry.user].id
        lesson_ids = _lesson_ids(seeding, concepts[entry.concept].id)
        done = select(LessonProgress.lesson_id).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids)
        )
        if seeding.session.scalar(done.limit(1)) is not None:
            continue
        completed_at = seeding.days_ago(entry.days_ago)
        seeding.session.add_all(
            LessonProgress(
                user_id=user_id,
                lesson_id=lesson_id,
                status=LessonStatus.COMPLETED,
                completed_at=completed_at,
            )
            for lesson_id in lesson_ids[: entry.lessons]
        )
        seeding.row_created("lesson_progress", min(entry.lessons, len(lesson_ids)))
