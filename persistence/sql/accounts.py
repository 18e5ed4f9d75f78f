"""A user's account around them: profile and learning preferences, read together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.models import LearningPreferences, Profile, User

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["Account", "read_accounts"]


@dataclass(frozen=True)
class Account:
    """A user's profile and preferences; either may not exist yet."""

    profile: Profile | None
    preferences: LearningPreferences | None


async def read_accounts(
    session: AsyncSession, *, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Account]:
    """Accounts of the users that exist, in one statement (a profile and preferences join)."""
    query = (
        select(User.id, Profile, LearningPreferences)
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(LearningPreferences, LearningPreferences.user_id == User.id)
        .where(User.id.in_(user_ids))
    )
    rows = (await session.execute(query)).all()
    return {row[0]: Account(row[1], row[2]) for row in rows}
