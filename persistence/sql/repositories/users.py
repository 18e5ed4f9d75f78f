"""Users as the write paths read and change them (accounts, administration, assessments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update

from persistence.sql.models import User

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "active_user_mailed_at",
    "locked_user",
    "role_of",
    "stamp_sign_in",
    "taken_names",
    "user_named",
]


async def user_named(session: AsyncSession, *, username: str) -> User | None:
    """The user with this username, whatever its case."""
    query = select(User).where(func.lower(User.username) == username.lower())
    return await session.scalar(query)


async def active_user_mailed_at(session: AsyncSession, *, email: str) -> User | None:
    """The active user with this email address, whatever its case."""
    query = select(User).where(func.lower(User.email) == email.lower(), User.is_active)
    return await session.scalar(query)


async def stamp_sign_in(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Records the time of a sign-in. A loaded user stays as read: a sign-in time changes
    nothing a token carries."""
    stamp = update(User).where(User.id == user_id).values(last_login_at=func.now())
    await session.execute(stamp.execution_options(synchronize_session=False))


async def taken_names(session: AsyncSession, *, username: str, email: str) -> list[tuple[str, str]]:
    """(username, email) of the users holding this username or this email, whatever its case."""
    found = await session.execute(
        select(User.username, User.email).where(
            or_(
                func.lower(User.username) == username.lower(),
                func.lower(User.email) == email.lower(),
            )
        )
    )
    return [(name, address) for name, address in found.all()]


async def locked_user(session: AsyncSession, *, user_id: uuid.UUID) -> User | None:
    """The user, row-locked until the transaction ends; None when there is none."""
    return await session.scalar(select(User).where(User.id == user_id).with_for_update())


async def role_of(session: AsyncSession, *, user_id: uuid.UUID) -> str | None:
    return await session.scalar(select(User.role).where(User.id == user_id))
