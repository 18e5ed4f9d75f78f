"""Completing lessons: the learner's progress on the lesson's concept follows the share of its
lessons they completed, and syncs to the graph like any progress.

Progress never moves back and a finished concept stays finished: a share can raise progress,
never lower it. So a lesson deleted can finish the concept for learners who did all the
others, while a lesson added leaves everyone's progress as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from domain.progress import DONE, ProgressStatus
from persistence.sql.repositories import lessons, progress
from persistence.sql.study_sessions import touch_open_session
from resolvers.achievements import award_achievements
from resolvers.progress import refresh_enrollments, save_progress
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from persistence.sql.models import ConceptProgress, LessonProgress
    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = ["LessonCompletion", "complete_lesson", "follow_lesson_changes"]


@dataclass(frozen=True)
class LessonCompletion:
    lesson_progress: LessonProgress
    concept_progress: ConceptProgress
    sync_token: str | None


async def _move_concept_progress(
    uow: UnitOfWork, user_id: uuid.UUID, concept_id: uuid.UUID
) -> ConceptProgress:
    """Progress follows the share; it never moves back, and a finished concept stays finished."""
    key = {"user_id": user_id, "concept_id": concept_id}
    share = await lessons.completed_share(uow.session, **key)
    current = await progress.locked_progress(uow.session, **key)
    percent = max(share, current.progress_percent if current else 0.0)
    if current is not None and current.status in DONE:
        status = ProgressStatus(current.status)
    else:
        status = ProgressStatus.COMPLETED if percent >= 100 else ProgressStatus.IN_PROGRESS
    mastery = current.mastery_score if current else 0.0
    return await save_progress(
        uow, user_id, concept_id, status=status, percent=percent, mastery=mastery
    )


async def complete_lesson(context: Context, raw_id: str) -> LessonCompletion:
    user_id = context.require_user().user_id
    lesson_id = parse_id(raw_id, field="id", what="lesson")
    async with context.unit_of_work() as uow:
        concept_id = await lessons.concept_of(uow.session, lesson_id=lesson_id)
        if concept_id is None:
            raise UserErrors.one("id", f"no lesson with id {raw_id}", ErrorCode.NOT_FOUND)
        lesson_progress = await lessons.complete(uow.session, user_id=user_id, lesson_id=lesson_id)
        concept_progress = await _move_concept_progress(uow, user_id, concept_id)
        await refresh_enrollments(uow, user_id, concept_id)
        await touch_open_session(uow.session, user_id)
        await award_achievements(uow.session, user_id)
        committed = await uow.commit()
    return LessonCompletion(lesson_progress, concept_progress, sync_token(committed))


async def follow_lesson_changes(uow: UnitOfWork, concept_id: uuid.UUID) -> None:
    """After the concept's lessons changed, every learner whose share of them now exceeds their
    progress moves up to it (completing the concept at 100), with the graph event, their paths
    and their awards; in one statement for all the learners."""
    raised = await lessons.raise_progress_to_shares(uow.session, concept_id=concept_id)
    for user_id, status in raised:
        if status in DONE:
            await refresh_enrollments(uow, user_id, concept_id)
            await award_achievements(uow.session, user_id)
