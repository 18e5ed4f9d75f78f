"""Study-session bookkeeping shared by the API and the workers' idle sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Update, case, func, select, update

from persistence.sql.models import LearningSession

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "LIVE",
    "close_idle_sessions",
    "closing_idle_sessions",
    "end_open_session",
    "idle_cutoff",
    "lock_learner",
    "locked_study_session",
    "reported_session",
    "session_seconds",
    "touch_open_session",
]


def idle_cutoff(idle_seconds: float) -> datetime:
    """Open sessions whose last activity is older than this are over."""
    return datetime.now(UTC) - timedelta(seconds=idle_seconds)


LIVE = "live"


def reported_session(user_id: uuid.UUID, concept_id: uuid.UUID, seconds: int) -> LearningSession:
    """A closed session for study time a progress update reports, ending now."""
    now = datetime.now(UTC)
    return LearningSession(
        user_id=user_id,
        concept_id=concept_id,
        started_at=now - timedelta(seconds=seconds),
        ended_at=now,
        last_activity_at=now,
        duration_seconds=seconds,
    )


def _closed_at(end: Any) -> dict[str, object]:
    """Ends at `end`, never before the start: now() is the transaction's start, which can be
    earlier than a session another transaction opened while this one waited for its lock."""
    end = func.greatest(end, LearningSession.started_at)
    seconds = func.extract("epoch", end - LearningSession.started_at)
    return {"ended_at": end, "duration_seconds": func.floor(seconds)}


def closing_idle_sessions(cutoff: datetime, user_id: uuid.UUID | None = None) -> Update:
    """The UPDATE that ends open sessions idle since before cutoff, at their last activity."""
    query = update(LearningSession).where(
        LearningSession.ended_at.is_(None), LearningSession.last_activity_at < cutoff
    )
    if user_id is not None:
        query = query.where(LearningSession.user_id == user_id)
    return query.values(**_closed_at(LearningSession.last_activity_at)).execution_options(
        synchronize_session=False
    )


async def close_idle_sessions(
    session: AsyncSession, cutoff: datetime, user_id: uuid.UUID | None = None
) -> None:
    """Ends the user's (or everyone's) open sessions idle since before cutoff."""
    await session.execute(closing_idle_sessions(cutoff, user_id))


async def touch_open_session(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Learning activity keeps the learner's open session alive."""
    await session.execute(
        update(LearningSession)
        .where(LearningSession.user_id == user_id, LearningSession.ended_at.is_(None))
        .values(last_activity_at=func.now()),
        execution_options={"synchronize_session": False},
    )


async def end_open_session(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(LearningSession)
        .where(LearningSession.user_id == user_id, LearningSession.ended_at.is_(None))
        .values(**_closed_at(func.now())),
        execution_options={"synchronize_session": False},
    )


def session_seconds() -> ColumnElement[float]:
    """SQL: the seconds a session counts: an ended one its length, an open one (still going or
    gone idle) up to its last activity."""
    to_last_activity = func.extract(
        "epoch", LearningSession.last_activity_at - LearningSession.started_at
    )
    return case(
        (LearningSession.ended_at.is_not(None), LearningSession.duration_seconds),
        else_=func.floor(to_last_activity),
    )


async def lock_learner(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Serialises one learner's session changes until the transaction ends, so two starts
    cannot both open one."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"study:{user_id}"))))


async def locked_study_session(
    session: AsyncSession, *, session_id: uuid.UUID
) -> LearningSession | None:
    query = select(LearningSession).where(LearningSession.id == session_id)
    return await session.scalar(query.with_for_update())
