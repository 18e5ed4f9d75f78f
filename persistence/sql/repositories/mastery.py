"""Learners' mastery of skills, as the assessment write path reads and changes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from persistence.sql.models import SkillMastery

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["insert_first_mastery", "locked_mastery"]


async def locked_mastery(
    session: AsyncSession, *, user_id: uuid.UUID, skill_id: uuid.UUID
) -> SkillMastery | None:
    """The learner's mastery of the skill, row-locked and read afresh; None when there is none."""
    query = (
        select(SkillMastery)
        .filter_by(user_id=user_id, skill_id=skill_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await session.scalar(query)


async def insert_first_mastery(
    session: AsyncSession, *, user_id: uuid.UUID, skill_id: uuid.UUID, columns: dict[str, Any]
) -> bool:
    """Inserts the first state; False when a concurrent first assessment won the race."""
    inserted = await session.scalar(
        insert(SkillMastery)
        .values(user_id=user_id, skill_id=skill_id, **columns)
        .on_conflict_do_nothing()
        .returning(SkillMastery.user_id)
    )
    return inserted is not None
