"""Administration: listing users, activating and deactivating them, changing their role.

Deactivation revokes the user's tokens at once (the token check trusts only active users, and
their refresh tokens are revoked); the :User node follows both changes through the sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserErrors
from domain.ids import parse_id
from persistence.sql.audit import AuditNote
from persistence.sql.auth_tokens import revoke_open_tokens
from persistence.sql.reads.users import user_page
from persistence.sql.repositories import users
from resolvers.loaders.registry import read_session
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    from domain.roles import Role
    from persistence.sql.models import User
    from persistence.sql.reads.paging import Page
    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import UserFilters
    from resolvers.context import Context

__all__ = ["UserWrite", "list_users", "set_user_active", "set_user_role"]


@dataclass(frozen=True)
class UserWrite:
    user: User
    sync_token: str | None


async def list_users(
    context: Context, filters: UserFilters, *, offset: int, limit: int
) -> Page[User]:
    """Users by username, filtered: a count and a page. Admins only."""
    context.require_admin()
    search = filters.search
    if search is not None and search.strip() and len(search) > 254:
        raise UserErrors.one("search", "search takes at most 254 characters", ErrorCode.VALIDATION)
    async with read_session(context.resources) as session:
        return await user_page(
            session,
            role=filters.role,
            active=filters.active,
            email_verified=filters.email_verified,
            search=search,
            offset=offset,
            limit=limit,
        )


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


async def set_user_active(context: Context, raw_id: str, active: bool) -> UserWrite:
    async with context.unit_of_work() as uow:
        user = await _target(uow, context, raw_id)
        if user.is_active != active:
            user.is_active = active
            if not active:
                await revoke_open_tokens(uow.session, user_id=user.id)
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
