"""Study sessions: one open session per learner, closed by the learner, by the next start, or
at its last activity once it has been idle longer than the limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from persistence.sql.models import Concept, LearningSession
from persistence.sql.study_sessions import (
    LIVE,
    close_idle_sessions,
    end_open_session,
    idle_cutoff,
    lock_learner,
    locked_study_session,
)
from resolvers import policy
from resolvers.achievements import award_achievements

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from resolvers.context import Context

__all__ = ["SessionView", "end_session", "idle_cutoff", "start_session"]


async def _checked_concept(session: AsyncSession, raw_id: str | None) -> uuid.UUID | None:
    if raw_id is None:
        return None
    concept_id = parse_id(raw_id, field="conceptId", what="concept")
    if await session.get(Concept, concept_id) is None:
        raise UserErrors.one("conceptId", f"no concept with id {raw_id}", ErrorCode.NOT_FOUND)
    return concept_id


async def start_session(context: Context, concept_value: str | None) -> LearningSession:
    """Opens a session for the caller, ending the one they had open (idle ones at last activity)."""
    user_id = context.require_user().user_id
    async with context.unit_of_work() as uow:
        concept_id = await _checked_concept(uow.session, concept_value)
        await lock_learner(uow.session, user_id=user_id)
        await close_idle_sessions(
            uow.session, idle_cutoff(context.settings.study_session_idle_seconds), user_id
        )
        await end_open_session(uow.session, user_id)
        row = LearningSession(user_id=user_id, concept_id=concept_id, source=LIVE)
        uow.session.add(row)
        await uow.session.flush()
        await uow.session.refresh(row)
        await award_achievements(uow.session, user_id)
        await uow.commit()
    return row


async def end_session(context: Context, raw_id: str) -> LearningSession:
    """Ends one of the caller's sessions: now, or at its last activity if it went idle."""
    principal = policy.signed_in(context.principal)
    session_id = policy.owned_id(principal, raw_id, field="id", what="learning session")
    async with context.unit_of_work() as uow:
        found = await locked_study_session(uow.session, session_id=session_id)
        owner = found.user_id if found else None
        row = policy.mine(principal, found, owner, field="id", what="learning session")
        if row.ended_at is not None:
            raise UserErrors.one("id", "this learning session has ended", ErrorCode.CONFLICT)
        idle = row.last_activity_at < idle_cutoff(context.settings.study_session_idle_seconds)
        end = _ended(row, row.last_activity_at if idle else datetime.now(UTC))
        row.ended_at, row.duration_seconds = end
        await award_achievements(uow.session, row.user_id)
        await uow.commit()
    return row


def _ended(row: LearningSession, end: datetime) -> tuple[datetime, int]:
    end = max(end, row.started_at)
    return end, int((end - row.started_at).total_seconds())


@dataclass(frozen=True)
class SessionView:
    """A session as shown: an idle open session reads as ended at its last activity."""

    row: LearningSession
    ended_at: datetime | None
    duration_seconds: int | None

    @classmethod
    def of(cls, row: LearningSession, cutoff: datetime) -> SessionView:
        if row.ended_at is not None:
            return cls(row, row.ended_at, row.duration_seconds)
        if row.last_activity_at < cutoff:
            end, seconds = _ended(row, row.last_activity_at)
            return cls(row, end, seconds)
        return cls(row, None, None)
