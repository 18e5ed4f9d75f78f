"""Quizzes as the attempt write path reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import Question

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["questions_of"]


async def questions_of(session: AsyncSession, *, quiz_id: uuid.UUID) -> list[Question]:
    """The quiz's questions in order."""
    query = select(Question).where(Question.quiz_id == quiz_id).order_by(Question.order_index)
    return list((await session.scalars(query)).all())
