"""Batch loads of users, their profiles and their learning preferences from SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from persistence.sql.models import LearningPreferences, Profile, User
from resolvers.loaders.registry import in_key_order, read_session
from resolvers.resources import ApiResources

__all__ = ["preferences_by_user_id", "profiles_by_user_id", "users_by_id"]


async def users_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[User | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(User).where(User.id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda user: user.id)


async def profiles_by_user_id(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[Profile | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(Profile).where(Profile.user_id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda profile: profile.user_id)


async def preferences_by_user_id(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[LearningPreferences | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(
            select(LearningPreferences).where(LearningPreferences.user_id.in_(keys))
        )
        return in_key_order(rows.all(), keys, lambda preferences: preferences.user_id)
