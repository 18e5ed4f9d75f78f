"""Learners' progress on concepts, as the write paths read and change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.dialects.postgresql import insert

from domain.progress import DONE
from domain.validation import MAX_INT
from persistence.sql.models import ConceptProgress

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["locked_progress", "mastery_score", "upsert_progress"]


async def mastery_score(
    session: AsyncSession, *, user_id: uuid.UUID, concept_id: uuid.UUID
) -> float | None:
    query = select(ConceptProgress.mastery_score).where(
        ConceptProgress.user_id == user_id, ConceptProgress.concept_id == concept_id
    )
    return await session.scalar(query)


async def locked_progress(
    session: AsyncSession, *, user_id: uuid.UUID, concept_id: uuid.UUID
) -> ConceptProgress | None:
    """The learner's progress on the concept, row-locked; None when there is none."""
    query = select(ConceptProgress).where(
        ConceptProgress.user_id == user_id, ConceptProgress.concept_id == concept_id
    )
    return await session.scalar(query.with_for_update())


def _added_seconds(spent: ColumnElement[int], seconds: int) -> ColumnElement[int]:
    """The study time plus `seconds`, added as bigint and held at the column's largest value:
    a learner's total never overflows the integer column however many reports arrive."""
    return func.least(cast(spent, BigInteger) + seconds, MAX_INT, type_=Integer)


async def upsert_progress(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    concept_id: uuid.UUID,
    status: str,
    percent: float,
    mastery: float,
    seconds: int = 0,
) -> ConceptProgress:
    """Writes the learner's progress on the concept, made or changed (time accumulates)."""
    done = status in DONE
    values = {
        "user_id": user_id,
        "concept_id": concept_id,
        "status": status,
        "progress_percent": percent,
        "mastery_score": mastery,
        "time_spent_seconds": seconds,
        "completed_at": func.now() if done else None,
    }
    table = ConceptProgress.__table__.c
    upsert = (
        insert(ConceptProgress)
        .values(values)
        .on_conflict_do_update(
            index_elements=[table.user_id, table.concept_id],
            set_={
                "status": status,
                "progress_percent": percent,
                "mastery_score": mastery,
                "time_spent_seconds": _added_seconds(table.time_spent_seconds, seconds),
                "completed_at": func.coalesce(table.completed_at, func.now()) if done else None,
                # ON CONFLICT's update half is SQL the unit of work does not see into
                "version": table.version + 1,
                "updated_at": func.now(),
            },
        )
        .returning(ConceptProgress)
    )
    found = await session.scalars(upsert, execution_options={"populate_existing": True})
    return found.one()
