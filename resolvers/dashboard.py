"""The learner dashboard's figures (persistence/sql/reads/figures.py), for a batch of users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from domain.streaks import streak_days
from persistence.sql.reads.figures import Figures, read_figures
from resolvers.loaders.registry import reading

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["DashboardFigures", "dashboard_figures", "dashboards", "today_utc"]


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


def dashboard_figures(figures: Figures, today: date) -> DashboardFigures:
    """The figures as the dashboard shows them: the streak counted up to today."""
    return DashboardFigures(
        concepts_available=figures.available,
        average_completion=figures.average,
        time_spent_seconds=figures.spent,
        streak_days=streak_days(figures.days, today),
        completed_count=figures.completed,
        mastered_count=figures.mastered,
    )


async def dashboards(resources: ApiResources, keys: list[uuid.UUID]) -> list[DashboardFigures]:
    """Figures for each user, in key order: one statement for any number of users."""
    async with reading(resources) as connection:
        found = await read_figures(connection, user_ids=keys)
    today = today_utc()
    return [
        dashboard_figures(found[key], today) if key in found else DashboardFigures() for key in keys
    ]
