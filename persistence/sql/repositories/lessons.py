"""Lessons and learners' completion of them, as the write paths read and change them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, Numeric, case, cast, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from domain.progress import DONE, LessonStatus, ProgressStatus
from persistence.sql.models import Concept, ConceptProgress, Lesson, LessonProgress

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import Row
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "complete",
    "completed_share",
    "concept_of",
    "delete_lesson",
    "lesson_count",
    "locked_concept_owner",
    "locked_lesson",
    "raise_progress_to_shares",
    "shift",
]


async def locked_concept_owner(
    session: AsyncSession, *, concept_id: uuid.UUID
) -> Row[uuid.UUID, uuid.UUID | None] | None:
    """(id, created_by) of the concept, locked so that its lessons' order changes one writer
    at a time; None when there is none."""
    query = select(Concept.id, Concept.created_by).where(Concept.id == concept_id)
    return (await session.execute(query.with_for_update())).first()


async def concept_of(session: AsyncSession, *, lesson_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(Lesson.concept_id).where(Lesson.id == lesson_id))


async def lesson_count(session: AsyncSession, *, concept_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Lesson).where(Lesson.concept_id == concept_id)
    return int(await session.scalar(query) or 0)


async def shift(
    session: AsyncSession, *, concept_id: uuid.UUID, start: int, end: int | None, by: int
) -> None:
    """Moves the concept's lessons at positions start..end (inclusive) by `by` places."""
    where = [Lesson.concept_id == concept_id, Lesson.order_index >= start]
    if end is not None:
        where.append(Lesson.order_index <= end)
    await session.execute(
        update(Lesson).where(*where).values(order_index=Lesson.order_index + by),
        execution_options={"synchronize_session": False},
    )


async def locked_lesson(session: AsyncSession, *, lesson_id: uuid.UUID) -> Lesson | None:
    query = select(Lesson).where(Lesson.id == lesson_id).with_for_update()
    return await session.scalar(query)


async def delete_lesson(session: AsyncSession, *, lesson_id: uuid.UUID) -> None:
    await session.execute(delete(Lesson).where(Lesson.id == lesson_id))


async def complete(
    session: AsyncSession, *, user_id: uuid.UUID, lesson_id: uuid.UUID
) -> LessonProgress:
    """Completed once: completing again keeps the first completion time."""
    statement = insert(LessonProgress).values(
        user_id=user_id, lesson_id=lesson_id, status=LessonStatus.COMPLETED, completed_at=func.now()
    )
    table = LessonProgress.__table__.c
    upsert = statement.on_conflict_do_update(
        index_elements=[table.user_id, table.lesson_id],
        set_={
            "status": LessonStatus.COMPLETED,
            "completed_at": func.coalesce(table.completed_at, func.now()),
            "updated_at": func.now(),
        },
    ).returning(LessonProgress)
    found = await session.scalars(upsert, execution_options={"populate_existing": True})
    return found.one()


async def completed_share(
    session: AsyncSession, *, user_id: uuid.UUID, concept_id: uuid.UUID
) -> float:
    """Percent of the concept's lessons the learner completed, 0..100."""
    done = func.count(LessonProgress.lesson_id).filter(
        LessonProgress.status == LessonStatus.COMPLETED
    )
    query = (
        select(func.count(Lesson.id), done)
        .select_from(Lesson)
        .outerjoin(
            LessonProgress,
            (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id),
        )
        .where(Lesson.concept_id == concept_id)
    )
    total, completed = (await session.execute(query)).one()
    return round(100.0 * completed / total, 2) if total else 0.0


def _shares_by_learner(concept_id: uuid.UUID) -> Any:
    """SQL: per learner with completed lessons of the concept, the percent of its lessons done."""
    total = select(func.count()).where(Lesson.concept_id == concept_id).scalar_subquery()
    percent = func.round(cast(100.0 * func.count() / total, Numeric), 2)
    return (
        select(LessonProgress.user_id, cast(percent, Float).label("share"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.concept_id == concept_id, LessonProgress.status == LessonStatus.COMPLETED)
        .group_by(LessonProgress.user_id)
        .subquery()
    )


async def raise_progress_to_shares(
    session: AsyncSession, *, concept_id: uuid.UUID
) -> list[tuple[uuid.UUID, str]]:
    """Every learner whose share of the concept's lessons exceeds their progress moves up to it
    (completing the concept at 100), in one statement; (user id, new status) of each."""
    shares = _shares_by_learner(concept_id)
    progress = ConceptProgress
    finished = shares.c.share >= 100
    raised = (
        update(progress)
        .where(
            progress.concept_id == concept_id,
            progress.user_id == shares.c.user_id,
            progress.status.not_in(DONE),
            shares.c.share > progress.progress_percent,
        )
        .values(
            progress_percent=shares.c.share,
            status=case((finished, ProgressStatus.COMPLETED), else_=ProgressStatus.IN_PROGRESS),
            completed_at=case((finished, func.now()), else_=progress.completed_at),
            updated_at=func.now(),
        )
        .returning(progress.user_id, progress.status)
        .execution_options(synchronize_session=False)
    )
    return [(user_id, status) for user_id, status in (await session.execute(raised)).all()]
