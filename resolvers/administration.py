"""Administration: listing users, activating and deactivating them, changing their role.

Deactivation revokes the user's tokens at once (the token check trusts only active users, and
their refresh tokens are revoked); the :User node follows both changes through the sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select, update

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from persistence.sql.audit import AuditNote
from persistence.sql.models import AuthToken, User
from persistence.sql.repositories import users
from resolvers.loaders.registry import read_session
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid

    from domain.roles import Role
    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import UserFilters
    from resolvers.context import Context

__all__ = ["UserPage", "UserWrite", "list_users", "set_user_active", "set_user_role"]


@dataclass(frozen=True)
class UserPage:
    rows: list[User]
    total: int


@dataclass(frozen=True)
class UserWrite:
    user: User
    sync_token: str | None


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.strip()}%"


def _filtered(filters: UserFilters) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = []
    if filters.role is not None:
        wanted.append(User.role == filters.role)
    if filters.active is not None:
        wanted.append(User.is_active.is_(filters.active))
    if filters.email_verified is not None:
        verified = User.email_verified_at.is_not(None)
        wanted.append(verified if filters.email_verified else ~verified)
    search = filters.search
    if search is not None and search.strip():
        if len(search) > 254:
            raise UserErrors.one(
                "search", "search takes at most 254 characters", ErrorCode.VALIDATION
            )
        pattern = _like(search)
        wanted.append(
            User.username.ilike(pattern, escape="\\") | User.email.ilike(pattern, escape="\\")
        )
    return wanted


async def list_users(
    context: Context, filters: UserFilters, *, offset: int, limit: int
) -> UserPage:
    """Users by username, filtered: a count and a page. Admins only."""
    context.require_admin()
    wanted = _filtered(filters)
    async with read_session(context.resources) as session:
        total = await session.scalar(select(func.count()).select_from(User).where(*wanted))
        query = select(User).where(*wanted).order_by(func.lower(User.username), User.id)
        rows = await session.scalars(query.offset(offset).limit(limit))
        return UserPage(rows=list(rows.all()), total=int(total or 0))


async def _target(uow: UnitOfWork, context: Context, raw_id: str) -> User:
    """The user to change, locked; an admin cannot change their own role or activation."""
    admin = context.require_admin()
    user_id = parse_id(raw_id, field="id", what="user")
    if user_id == admin.user_id:
        raise UserErrors.one(
            "id", "admins cannot change their own account here", ErrorCode.FORBIDDEN
        )
    user = await users.locked_user(uow.session, user_id=user_id)
    if user is None:
        raise UserErrors.one("id", f"no user with id {raw_id}", ErrorCode.NOT_FOUND)
    return user


async def revoke_refresh_tokens(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    """Every refresh token of the user stops working."""
    await uow.session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=func.now()),
        execution_options={"synchronize_session": False},
    )


async def set_user_active(context: Context, raw_id: str, active: bool) -> UserWrite:
    async with context.unit_of_work() as uow:
        user = await _target(uow, context, raw_id)
        if user.is_active != active:
            user.is_active = active
            if not active:
                await revoke_refresh_tokens(uow, user.id)
            action = "user_activated" if active else "user_deactivated"
            uow.audit(AuditNote(action, "user", str(user.id), {"username": user.username}))
        committed = await uow.commit()
    return UserWrite(user=user, sync_token=sync_token(committed))


async def set_user_role(context: Context, raw_id: str, role: Role) -> UserWrite:
    async with context.unit_of_work() as uow:
        user = await _target(uow, context, raw_id)
        if user.role != role:
            details = {"username": user.username, "from": user.role, "to": role}
            user.role = role
            uow.audit(AuditNote("role_changed", "user", str(user.id), details))
        committed = await uow.commit()
    return UserWrite(user=user, sync_token=sync_token(committed))
