"""The learner dashboard's figures, computed in SQL for a batch of users."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    Exists,
    Row,
    ScalarSelect,
    Select,
    Uuid,
    bindparam,
    cast,
    exists,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased

from domain.progress import DONE, ProgressStatus
from domain.relations import RelationKind
from domain.streaks import streak_days
from persistence.sql.models import Concept, ConceptProgress, ConceptRelation, LearningSession
from persistence.sql.study_sessions import session_seconds
from resolvers.loaders.registry import read_rows

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

    from resolvers.resources import ApiResources

__all__ = ["DashboardFigures", "active_days", "dashboards", "today_utc"]

STREAK_WINDOW = timedelta(days=400)
# The users a batch asks about: unnest(:ids) AS u(id), the FROM every figure correlates to.
USERS = func.unnest(bindparam("ids", type_=ARRAY(Uuid))).table_valued("id").render_derived("u")


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


def _done(concept_id: InstrumentedAttribute[uuid.UUID]) -> Exists:
    """The key user has completed or mastered the concept (correlated to the key users)."""
    progress = aliased(ConceptProgress)
    return (
        exists()
        .where(
            progress.user_id == USERS.c.id,
            progress.concept_id == concept_id,
            progress.status.in_(DONE),
        )
        .correlate(USERS, Concept, ConceptRelation)
    )


def _available() -> ScalarSelect[int]:
    """Concepts not done whose every prerequisite is done."""
    blocked = exists().where(
        ConceptRelation.target_id == Concept.id,
        ConceptRelation.kind == RelationKind.PREREQUISITE,
        ~_done(ConceptRelation.source_id),
    )
    return (
        select(func.count()).select_from(Concept).where(~_done(Concept.id), ~blocked)
    ).scalar_subquery()


def _of_user(*columns: ColumnElement[Any], model: Any = ConceptProgress) -> Select[Any]:
    return select(*columns).where(model.user_id == USERS.c.id)


def _figures(since: datetime) -> Select[Any]:
    """One row per key user: average, completed, mastered, time spent, available, days."""
    status = ConceptProgress.status
    day = _utc_day(LearningSession.started_at)
    active = _of_user(func.array_agg(day.distinct()), model=LearningSession)
    spent = _of_user(func.sum(session_seconds()), model=LearningSession)
    return select(
        USERS.c.id,
        _of_user(func.avg(ConceptProgress.progress_percent)).scalar_subquery(),
        _of_user(func.count().filter(status.in_(DONE))).scalar_subquery(),
        _of_user(func.count().filter(status == ProgressStatus.MASTERED)).scalar_subquery(),
        spent.scalar_subquery(),
        _available(),
        active.where(LearningSession.started_at >= since).scalar_subquery(),
    ).select_from(USERS)


async def dashboards(resources: ApiResources, keys: list[uuid.UUID]) -> list[DashboardFigures]:
    """Figures for each user, in key order: one statement for any number of users."""
    statement = _figures(datetime.now(UTC) - STREAK_WINDOW)
    rows = await read_rows(resources, statement.params(ids=keys))
    found = {row[0]: row for row in rows}
    today = today_utc()
    return [_figures_of(found.get(user_id), today) for user_id in keys]


def _figures_of(row: Row[Any] | None, today: date) -> DashboardFigures:
    if row is None:
        return DashboardFigures()
    _, average, completed, mastered, spent, available, days = tuple(row)
    return DashboardFigures(
        concepts_available=int(available or 0),
        average_completion=float(average or 0),
        time_spent_seconds=int(spent or 0),
        streak_days=streak_days(days or (), today),
        completed_count=int(completed or 0),
        mastered_count=int(mastered or 0),
    )
