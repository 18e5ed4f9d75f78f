"""Recording a learner's progress and enrolling in paths; paths follow their concepts' progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from domain.progress import ProgressStatus
from domain.validation import Checks
from persistence.sql.models import (
    Achievement,
    Concept,
    ConceptProgress,
    LearningPath,
    PathEnrollment,
)
from persistence.sql.repositories import paths, progress
from persistence.sql.study_sessions import reported_session, touch_open_session
from resolvers.achievements import award_achievements
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import ProgressReport
    from resolvers.context import Context

__all__ = [
    "MAX_REPORTED_SECONDS",
    "EnrollmentWrite",
    "ProgressWrite",
    "enroll_in_path",
    "record_progress",
    "refresh_enrollments",
    "save_progress",
]

MAX_REPORTED_SECONDS = 86_400  # one report's study time: at most a day


@dataclass(frozen=True)
class ProgressWrite:
    progress: ConceptProgress
    new_achievements: list[Achievement]
    sync_token: str | None


@dataclass(frozen=True)
class EnrollmentWrite:
    enrollment: PathEnrollment
    sync_token: str | None


async def save_progress(
    uow: UnitOfWork,
    user_id: uuid.UUID,
    concept_id: uuid.UUID,
    *,
    status: ProgressStatus,
    percent: float,
    mastery: float,
    seconds: int = 0,
) -> ConceptProgress:
    """Upserts the row (time accumulates); the unit of work records its graph event."""
    return await progress.upsert_progress(
        uow.session,
        user_id=user_id,
        concept_id=concept_id,
        status=status,
        percent=percent,
        mastery=mastery,
        seconds=seconds,
    )


def _path_status(current: str, percent: float) -> str:
    if percent >= 100:
        return ProgressStatus.COMPLETED
    return ProgressStatus.IN_PROGRESS if percent > 0 else current


async def refresh_enrollments(uow: UnitOfWork, user_id: uuid.UUID, concept_id: uuid.UUID) -> None:
    """Recomputes the user's enrollments in paths holding the concept; records what changed."""
    key = {"user_id": user_id, "concept_id": concept_id}
    enrollments = await paths.locked_enrollments_holding(uow.session, **key)
    if not enrollments:
        return
    path_ids = [enrollment.path_id for enrollment in enrollments]
    shares = await paths.required_shares(uow.session, user_id=user_id, path_ids=path_ids)
    for enrollment in enrollments:
        percent = round(shares.get(enrollment.path_id, 0.0), 2)
        status = _path_status(enrollment.status, percent)
        if (percent, status) != (enrollment.progress_percent, enrollment.status):
            enrollment.progress_percent, enrollment.status = percent, status


def _check_progress(report: ProgressReport) -> Checks:
    checks = Checks()
    checks.number("progressPercent", report.progress_percent, low=0, high=100)
    checks.number("timeSpentSeconds", report.time_spent_seconds, low=0, high=MAX_REPORTED_SECONDS)
    return checks


async def record_progress(context: Context, report: ProgressReport) -> ProgressWrite:
    """The signed-in user's progress on a concept, with study time, paths and achievements."""
    user_id = context.require_user().user_id
    _check_progress(report).raise_if_any()
    concept_id = parse_id(report.concept_id, field="conceptId", what="concept")
    seconds = report.time_spent_seconds
    async with context.unit_of_work() as uow:
        if await uow.session.get(Concept, concept_id) is None:
            raise UserErrors.one("conceptId", "no such concept", ErrorCode.NOT_FOUND)
        mastery = await progress.mastery_score(uow.session, user_id=user_id, concept_id=concept_id)
        row = await save_progress(
            uow,
            user_id,
            concept_id,
            status=report.status,
            percent=float(report.progress_percent),
            mastery=mastery or 0.0,
            seconds=seconds,
        )
        if seconds > 0:
            uow.session.add(reported_session(user_id, concept_id, seconds))
        await refresh_enrollments(uow, user_id, concept_id)
        await touch_open_session(uow.session, user_id)
        awarded = await award_achievements(uow.session, user_id)
        committed = await uow.commit()
    return ProgressWrite(row, awarded, sync_token(committed))


async def enroll_in_path(context: Context, path_value: str) -> EnrollmentWrite:
    """Enrolls the signed-in user; enrolling twice changes nothing."""
    user_id = context.require_user().user_id
    path_id = parse_id(path_value, field="pathId", what="learning path")
    async with context.unit_of_work() as uow:
        if await uow.session.get(LearningPath, path_id) is None:
            raise UserErrors.one("pathId", "no such learning path", ErrorCode.NOT_FOUND)
        shares = await paths.required_shares(uow.session, user_id=user_id, path_ids=[path_id])
        percent = round(shares.get(path_id, 0.0), 2)
        status = _path_status(ProgressStatus.NOT_STARTED, percent)
        enrollment = await paths.enroll(
            uow.session, user_id=user_id, path_id=path_id, status=status, percent=percent
        )
        committed = await uow.commit()
    return EnrollmentWrite(enrollment, sync_token(committed))
