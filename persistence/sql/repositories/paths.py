"""Learning paths, their items and learners' enrollments, as the write paths read and change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert

from domain.progress import DONE
from persistence.sql.models import ConceptProgress, LearningPath, LearningPathItem, PathEnrollment

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from sqlalchemy import ColumnElement, Update
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "close_item_gaps",
    "enroll",
    "locked_enrollments_holding",
    "locked_path",
    "path_ids_holding",
    "path_titled",
    "replace_items",
    "required_shares",
]

# Items are moved out of the way first: a one-step renumbering could collide with the
# (path_id, order_index) unique constraint, which PostgreSQL checks row by row.
PARKED = 1_000_000
AS_WRITTEN = {"synchronize_session": False}  # no loaded item needs the new order


async def path_titled(session: AsyncSession, *, title: str) -> uuid.UUID | None:
    return await session.scalar(select(LearningPath.id).where(LearningPath.title == title))


async def locked_path(session: AsyncSession, *, path_id: uuid.UUID) -> LearningPath | None:
    """The path, row-locked until the transaction ends; None when there is none."""
    query = select(LearningPath).where(LearningPath.id == path_id).with_for_update()
    return await session.scalar(query)


async def replace_items(
    session: AsyncSession, *, path_id: uuid.UUID, items: Sequence[tuple[uuid.UUID, bool]]
) -> None:
    """The path's items become (concept id, required) in this order, order_index 0..n-1."""
    await session.execute(delete(LearningPathItem).where(LearningPathItem.path_id == path_id))
    if items:
        rows = [
            {
                "path_id": path_id,
                "concept_id": concept_id,
                "order_index": index,
                "is_required": required,
            }
            for index, (concept_id, required) in enumerate(items)
        ]
        await session.execute(insert(LearningPathItem), rows)


async def path_ids_holding(session: AsyncSession, *, concept_id: uuid.UUID) -> list[uuid.UUID]:
    query = select(LearningPathItem.path_id).where(LearningPathItem.concept_id == concept_id)
    return list(await session.scalars(query))


async def close_item_gaps(session: AsyncSession, *, path_ids: list[uuid.UUID]) -> None:
    """Renumbers the paths' remaining items 0..n-1; the paths changed with them."""
    if not path_ids:
        return
    item = LearningPathItem
    held = item.path_id.in_(path_ids)
    parked = update(item).where(held).values(order_index=item.order_index + PARKED)
    await session.execute(parked, execution_options=AS_WRITTEN)
    await session.execute(_renumbered(held), execution_options=AS_WRITTEN)
    changed = update(LearningPath).where(LearningPath.id.in_(path_ids))
    await session.execute(changed.values(updated_at=func.now()))


def _renumbered(held: ColumnElement[bool]) -> Update:
    """Items get their rank within their path, from 0, in their order."""
    item = LearningPathItem
    position = func.row_number().over(partition_by=item.path_id, order_by=item.order_index) - 1
    ranked = select(item.path_id, item.concept_id, position.label("at")).where(held).subquery()
    return (
        update(item)
        .where(item.path_id == ranked.c.path_id, item.concept_id == ranked.c.concept_id)
        .values(order_index=ranked.c.at)
    )


async def required_shares(
    session: AsyncSession, *, user_id: uuid.UUID, path_ids: list[uuid.UUID]
) -> dict[uuid.UUID, float]:
    """Per path: percent of its required concepts the user completed or mastered."""
    item = LearningPathItem
    done = case((ConceptProgress.status.in_(DONE), 1), else_=0)
    query = (
        select(item.path_id, 100.0 * func.sum(done) / func.count())
        .outerjoin(
            ConceptProgress,
            (ConceptProgress.concept_id == item.concept_id) & (ConceptProgress.user_id == user_id),
        )
        .where(item.path_id.in_(path_ids), item.is_required)
        .group_by(item.path_id)
    )
    return {row[0]: float(row[1]) for row in (await session.execute(query)).all()}


async def locked_enrollments_holding(
    session: AsyncSession, *, user_id: uuid.UUID, concept_id: uuid.UUID
) -> list[PathEnrollment]:
    """The user's enrollments in paths holding the concept, row-locked."""
    holding = select(LearningPathItem.path_id).where(LearningPathItem.concept_id == concept_id)
    query = (
        select(PathEnrollment)
        .where(PathEnrollment.user_id == user_id, PathEnrollment.path_id.in_(holding))
        .with_for_update()
    )
    return list((await session.scalars(query)).all())


async def enroll(
    session: AsyncSession, *, user_id: uuid.UUID, path_id: uuid.UUID, status: str, percent: float
) -> PathEnrollment:
    """The user's enrollment in the path, made with this standing unless there is one."""
    values = {"status": status, "progress_percent": percent}
    statement = upsert(PathEnrollment).values(user_id=user_id, path_id=path_id, **values)
    await session.execute(statement.on_conflict_do_nothing())
    return await session.get_one(PathEnrollment, (user_id, path_id))
