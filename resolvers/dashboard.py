"""The learner dashboard's figures, computed in SQL for a batch of users."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Date, cast, func, select, text

from domain.streaks import streak_days
from persistence.sql.models import ConceptProgress, LearningSession
from persistence.sql.study_sessions import idle_cutoff, session_seconds
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import InstrumentedAttribute

    from resolvers.resources import ApiResources

__all__ = ["DashboardFigures", "active_days", "dashboards", "today_utc"]

DONE = ("completed", "mastered")
STREAK_WINDOW = timedelta(days=400)

AVAILABLE = text(
    """
    SELECT u.id AS user_id, count(*) AS available
    FROM unnest(CAST(:ids AS uuid[])) AS u(id) CROSS JOIN concepts c
    WHERE NOT EXISTS (
        SELECT 1 FROM concept_progress p
        WHERE p.user_id = u.id AND p.concept_id = c.id AND p.status IN ('completed', 'mastered'))
      AND NOT EXISTS (
        SELECT 1 FROM concept_relations r
        WHERE r.target_id = c.id AND r.kind = 'prerequisite' AND NOT EXISTS (
            SELECT 1 FROM concept_progress q
            WHERE q.user_id = u.id AND q.concept_id = r.source_id
              AND q.status IN ('completed', 'mastered')))
    GROUP BY u.id
    """
)


@dataclass(frozen=True)
class DashboardFigures:
    concepts_available: int = 0
    average_completion: float = 0.0
    time_spent_seconds: int = 0
    streak_days: int = 0
    completed_count: int = 0
    mastered_count: int = 0


def today_utc() -> date:
    return datetime.now(UTC).date()


def _utc_day(stamp: InstrumentedAttribute[datetime]) -> ColumnElement[date]:
    return cast(func.timezone("UTC", stamp), Date)


async def active_days(
    session: AsyncSession, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, set[date]]:
    """Days (UTC) on which each user had a study session, lately."""
    since = datetime.now(UTC) - STREAK_WINDOW
    query = (
        select(LearningSession.user_id, _utc_day(LearningSession.started_at))
        .where(LearningSession.user_id.in_(user_ids), LearningSession.started_at >= since)
        .distinct()
    )
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    for user_id, day in (await session.execute(query)).all():
        days[user_id].add(day)
    return days


async def _progress_figures(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[float, int, int]]:
    status = ConceptProgress.status
    query = (
        select(
            ConceptProgress.user_id,
            func.avg(ConceptProgress.progress_percent),
            func.count().filter(status.in_(DONE)),
            func.count().filter(status == "mastered"),
        )
        .where(ConceptProgress.user_id.in_(ids))
        .group_by(ConceptProgress.user_id)
    )
    rows = (await session.execute(query)).all()
    return {row[0]: (float(row[1] or 0), int(row[2]), int(row[3])) for row in rows}


async def _time_spent(
    session: AsyncSession, ids: list[uuid.UUID], idle_since: datetime
) -> dict[uuid.UUID, int]:
    """Seconds of ended sessions, and of open ones gone idle up to their last activity."""
    query = (
        select(LearningSession.user_id, func.sum(session_seconds(idle_since)))
        .where(LearningSession.user_id.in_(ids))
        .group_by(LearningSession.user_id)
    )
    return {row[0]: int(row[1] or 0) for row in (await session.execute(query)).all()}


async def _available(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = (await session.execute(AVAILABLE, {"ids": [str(i) for i in ids]})).all()
    return {uuid.UUID(str(row[0])): int(row[1]) for row in rows}


async def dashboards(resources: ApiResources, keys: list[uuid.UUID]) -> list[DashboardFigures]:
    """Figures for each user, in key order: four statements for any number of users."""
    async with read_session(resources) as session:
        progress = await _progress_figures(session, keys)
        idle_since = idle_cutoff(resources.settings.study_session_idle_seconds)
        spent = await _time_spent(session, keys, idle_since)
        available = await _available(session, keys)
        days = await active_days(session, keys)
    today = today_utc()
    figures = []
    for user_id in keys:
        average, completed, mastered = progress.get(user_id, (0.0, 0, 0))
        figures.append(
            DashboardFigures(
                concepts_available=available.get(user_id, 0),
                average_completion=average,
                time_spent_seconds=spent.get(user_id, 0),
                streak_days=streak_days(days.get(user_id, set()), today),
                completed_count=completed,
                mastered_count=mastered,
            )
        )
    return figures
