"""Signing in: password check and token issue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from domain.errors import ErrorCode, UserErrors
from domain.security import Principal, issue_token, verify_password
from persistence.sql.models import User
from resolvers.context import Context

__all__ = ["SignedIn", "login", "token_for"]


@dataclass(frozen=True)
class SignedIn:
    token: str
    user: User


def token_for(context: Context, user: User) -> str:
    settings = context.settings
    return issue_token(
        Principal(user_id=user.id, role=user.role),
        secret=settings.token_secret.get_secret_value(),
        ttl_seconds=settings.token_ttl_seconds,
    )


async def login(context: Context, username: str, password: str) -> SignedIn:
    async with context.resources.sessions.begin() as session:
        user = await session.scalar(
            select(User).where(func.lower(User.username) == username.lower())
        )
        if user is None or not user.is_active or not verify_password(user.password_hash, password):
            raise UserErrors.one(
                "password", "wrong username or password", ErrorCode.UNAUTHENTICATED
            )
        await session.execute(
            update(User).where(User.id == user.id).values(last_login_at=func.now())
        )
    return SignedIn(token=token_for(context, user), user=user)
