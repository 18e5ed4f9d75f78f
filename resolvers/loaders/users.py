"""Batch loads of users, their profiles and their learning preferences from SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from persistence.sql.accounts import Account, read_accounts
from persistence.sql.models import User
from resolvers.loaders.registry import in_key_order, read_session

if TYPE_CHECKING:
    import uuid

    from resolvers.resources import ApiResources

__all__ = ["accounts_by_user_id", "users_by_id"]


async def users_by_id(resources: ApiResources, keys: list[uuid.UUID]) -> list[User | None]:
    async with read_session(resources) as session:
        rows = await session.scalars(select(User).where(User.id.in_(keys)))
        return in_key_order(rows.all(), keys, lambda user: user.id)


async def accounts_by_user_id(
    resources: ApiResources, keys: list[uuid.UUID]
) -> list[Account | None]:
    """Profile and preferences together: a view asking for both costs one statement."""
    async with read_session(resources) as session:
        found = await read_accounts(session, user_ids=keys)
    return [found.get(key) for key in keys]
