"""Completing lessons: the learner's progress on the lesson's concept follows the share of its
lessons they completed, and syncs to the graph like any progress.

Progress never moves back and a finished concept stays finished: a share can raise progress,
never lower it. So a lesson deleted can finish the concept for learners who did all the
others, while a lesson added leaves everyone's progress as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, Numeric, case, cast, func, select, update
from sqlalchemy.dialects.postgresql import insert

from domain.errors import ErrorCode, UserErrors
from persistence.sql.models import ConceptProgress, Lesson, LessonProgress
from persistence.sql.repositories.paths import DONE
from persistence.sql.study_sessions import touch_open_session
from resolvers.achievements import award_achievements
from resolvers.progress import parse_id, refresh_enrollments, save_progress
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = ["LessonCompletion", "complete_lesson", "follow_lesson_changes"]


@dataclass(frozen=True)
class LessonCompletion:
    lesson_progress: LessonProgress
    concept_progress: ConceptProgress
    sync_token: str | None


async def _mark_completed(
    uow: UnitOfWork, user_id: uuid.UUID, lesson_id: uuid.UUID
) -> LessonProgress:
    """Completed once: completing again keeps the first completion time."""
    statement = insert(LessonProgress).values(
        user_id=user_id, lesson_id=lesson_id, status="completed", completed_at=func.now()
    )
    table = LessonProgress.__table__.c
    upsert = statement.on_conflict_do_update(
        index_elements=[table.user_id, table.lesson_id],
        set_={
            "status": "completed",
            "completed_at": func.coalesce(table.completed_at, func.now()),
            "updated_at": func.now(),
        },
    ).returning(LessonProgress)
    found = await uow.session.scalars(upsert, execution_options={"populate_existing": True})
    return found.one()


async def _completed_share(uow: UnitOfWork, user_id: uuid.UUID, concept_id: uuid.UUID) -> float:
    """Percent of the concept's lessons the learner completed, 0..100."""
    done = func.count(LessonProgress.lesson_id).filter(LessonProgress.status == "completed")
    query = (
        select(func.count(Lesson.id), done)
        .select_from(Lesson)
        .outerjoin(
            LessonProgress,
            (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id),
        )
        .where(Lesson.concept_id == concept_id)
    )
    total, completed = (await uow.session.execute(query)).one()
    return round(100.0 * completed / total, 2) if total else 0.0


async def _move_concept_progress(
    uow: UnitOfWork, user_id: uuid.UUID, concept_id: uuid.UUID
) -> ConceptProgress:
    """Progress follows the share; it never moves back, and a finished concept stays finished."""
    share = await _completed_share(uow, user_id, concept_id)
    current = await uow.session.scalar(
        select(ConceptProgress)
        .where(ConceptProgress.user_id == user_id, ConceptProgress.concept_id == concept_id)
        .with_for_update()
    )
    percent = max(share, current.progress_percent if current else 0.0)
    if current is not None and current.status in DONE:
        status = current.status
    else:
        status = "completed" if percent >= 100 else "in_progress"
    mastery = current.mastery_score if current else 0.0
    return await save_progress(
        uow, user_id, concept_id, status=status, percent=percent, mastery=mastery
    )


async def complete_lesson(context: Context, raw_id: str) -> LessonCompletion:
    user_id = context.require_user().user_id
    lesson_id = parse_id("id", raw_id, "lesson")
    async with context.unit_of_work() as uow:
        concept_id = await uow.session.scalar(
            select(Lesson.concept_id).where(Lesson.id == lesson_id)
        )
        if concept_id is None:
            raise UserErrors.one("id", f"no lesson with id {raw_id}", ErrorCode.NOT_FOUND)
        lesson_progress = await _mark_completed(uow, user_id, lesson_id)
        concept_progress = await _move_concept_progress(uow, user_id, concept_id)
        await refresh_enrollments(uow, user_id, concept_id)
        await touch_open_session(uow.session, user_id)
        await award_achievements(uow.session, user_id)
        committed = await uow.commit()
    return LessonCompletion(lesson_progress, concept_progress, sync_token(committed))


def _shares_by_learner(concept_id: uuid.UUID) -> Any:
    """SQL: per learner with completed lessons of the concept, the percent of its lessons done."""
    total = select(func.count()).where(Lesson.concept_id == concept_id).scalar_subquery()
    percent = func.round(cast(100.0 * func.count() / total, Numeric), 2)
    return (
        select(LessonProgress.user_id, cast(percent, Float).label("share"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.concept_id == concept_id, LessonProgress.status == "completed")
        .group_by(LessonProgress.user_id)
        .subquery()
    )


async def follow_lesson_changes(uow: UnitOfWork, concept_id: uuid.UUID) -> None:
    """After the concept's lessons changed, every learner whose share of them now exceeds their
    progress moves up to it (completing the concept at 100), with the graph event, their paths
    and their awards; in one statement for all the learners."""
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
            status=case((finished, "completed"), else_="in_progress"),
            completed_at=case((finished, func.now()), else_=progress.completed_at),
            updated_at=func.now(),
        )
        .returning(progress.user_id, progress.status)
        .execution_options(synchronize_session=False)
    )
    for user_id, status in (await uow.session.execute(raised)).all():
        if status in DONE:
            await refresh_enrollments(uow, user_id, concept_id)
            await award_achievements(uow.session, user_id)
