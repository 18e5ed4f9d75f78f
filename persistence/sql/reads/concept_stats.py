"""Learners, average progress and completion share per concept, most learners first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from domain.progress import DONE
from persistence.sql.models import Concept, ConceptProgress

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["ConceptStatRow", "concept_stats"]


@dataclass(frozen=True)
class ConceptStatRow:
    concept: Concept
    learners: int
    average_progress: float
    completion_rate: float


async def concept_stats(session: AsyncSession, *, floor: int, limit: int) -> list[ConceptStatRow]:
    """The `limit` concepts with the most learners, each with at least `floor` of them."""
    finished = ConceptProgress.status.in_(DONE)
    learners = func.count(ConceptProgress.user_id)
    statement = (
        select(
            Concept,
            learners,
            func.avg(ConceptProgress.progress_percent),
            func.avg(case((finished, 1.0), else_=0.0)),
        )
        .join(ConceptProgress, ConceptProgress.concept_id == Concept.id)
        .group_by(Concept.id)
        .having(learners >= floor)
        .order_by(learners.desc(), Concept.name)
        .limit(limit)
    )
    found = await session.execute(statement)
    return [ConceptStatRow(row[0], int(row[1]), float(row[2]), float(row[3])) for row in found]
