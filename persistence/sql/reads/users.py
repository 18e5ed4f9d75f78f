"""Users as an administrator lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func

from persistence.sql.models import User
from persistence.sql.reads.paging import Page, offset_page

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from domain.roles import Role

__all__ = ["user_page"]


async def user_page(
    session: AsyncSession,
    *,
    role: Role | None = None,
    active: bool | None = None,
    email_verified: bool | None = None,
    search: str | None = None,
    offset: int,
    limit: int,
) -> Page[User]:
    """Users by username (case aside), those matching every filter given; `search` is a part
    of the username or email, any case, taken literally."""
    wanted: list[ColumnElement[bool]] = []
    if role is not None:
        wanted.append(User.role == role)
    if active is not None:
        wanted.append(User.is_active.is_(active))
    if email_verified is not None:
        verified = User.email_verified_at.is_not(None)
        wanted.append(verified if email_verified else ~verified)
    if search is not None and search.strip():
        pattern = _containing(search)
        wanted.append(
            User.username.ilike(pattern, escape="\\") | User.email.ilike(pattern, escape="\\")
        )
    order = (func.lower(User.username), User.id)
    return await offset_page(
        session, model=User, wanted=wanted, order_by=order, offset=offset, limit=limit
    )


def _containing(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.strip()}%"
