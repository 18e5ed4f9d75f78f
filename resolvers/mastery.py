"""Recording a learner's mastery of a skill (teachers and admins assess)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.errors import ErrorCode, UserErrors
from domain.mastery import MasteryCategory, MasteryState, Trend, assess
from domain.roles import Role
from domain.validation import Checks
from persistence.sql.models import Skill, SkillMastery
from persistence.sql.repositories import mastery, users
from resolvers import policy
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import MasteryAssessment
    from resolvers.context import Context

__all__ = ["MasteryWrite", "record_skill_mastery"]


@dataclass(frozen=True)
class MasteryWrite:
    mastery: SkillMastery
    sync_token: str | None


def _check_scores(assessment: MasteryAssessment) -> None:
    checks = Checks()
    checks.number("mastery", assessment.mastery, low=0, high=1)
    checks.number("confidence", assessment.confidence, low=0, high=1)
    checks.raise_if_any()


async def _check_targets(uow: UnitOfWork, student_id: uuid.UUID, skill_id: uuid.UUID) -> None:
    role = await users.role_of(uow.session, user_id=student_id)
    if role is None:
        raise UserErrors.one("studentId", "no user has this id", ErrorCode.NOT_FOUND)
    if role != Role.STUDENT:
        raise UserErrors.one(
            "studentId", "mastery is recorded for students only", ErrorCode.VALIDATION
        )
    if await uow.session.get(Skill, skill_id) is None:
        raise UserErrors.one("skillId", "no skill has this id", ErrorCode.NOT_FOUND)


def _state_of(row: SkillMastery) -> MasteryState:
    return MasteryState(
        current_mastery=row.current_mastery,
        confidence=row.confidence,
        trend=Trend(row.trend),
        category=MasteryCategory(row.mastery_category),
        num_assessments=row.num_assessments,
    )


def _columns(state: MasteryState) -> dict[str, Any]:
    return {
        "current_mastery": state.current_mastery,
        "confidence": state.confidence,
        "trend": state.trend.value,
        "mastery_category": state.category.value,
        "num_assessments": state.num_assessments,
    }


async def record_skill_mastery(context: Context, assessment: MasteryAssessment) -> MasteryWrite:
    principal = policy.author(context.principal)
    _check_scores(assessment)
    async with context.unit_of_work() as uow:
        student_id, skill_id = await policy.assessable(
            uow.session, principal, assessment.student_id, assessment.skill_id
        )
        await _check_targets(uow, student_id, skill_id)
        key = {"user_id": student_id, "skill_id": skill_id}
        previous = await mastery.locked_mastery(uow.session, **key)
        first = _columns(assess(None, assessment.mastery, assessment.confidence))
        created = previous is None and await mastery.insert_first_mastery(
            uow.session, **key, columns=first
        )
        row = await mastery.locked_mastery(uow.session, **key)
        if row is None:  # inserted above or found, in this very transaction
            raise RuntimeError(f"skill mastery {key} vanished inside its own transaction")
        if not created:
            state = assess(_state_of(row), assessment.mastery, assessment.confidence)
            for name, value in _columns(state).items():
                setattr(row, name, value)
            await uow.session.flush()
            await uow.session.refresh(row)  # updated_at is set by the database
        committed = await uow.commit()
    return MasteryWrite(mastery=row, sync_token=sync_token(committed))
