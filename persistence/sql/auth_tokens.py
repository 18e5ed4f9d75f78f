"""Refresh, email-verification and password-reset tokens: issued, found, used and revoked.

Only a token's SHA-256 is stored; the secret itself goes to the client (or into a mail) once.
Refresh tokens of one sign-in share a family (the sign-in's id, which access tokens carry).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from domain.security import new_secret, secret_digest
from persistence.sql.models import AuthToken

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "IssuedToken",
    "find_token",
    "issue_token",
    "mark_used",
    "revoke_family",
    "revoke_open_tokens",
]

REFRESH = "refresh"


@dataclass(frozen=True)
class IssuedToken:
    secret: str  # handed out once, never stored
    expires_at: datetime
    family_id: uuid.UUID | None


async def issue_token(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kind: str,
    ttl_seconds: int,
    family_id: uuid.UUID | None = None,
) -> IssuedToken:
    """A new token of `kind` for the user; refresh tokens start a family unless given one."""
    if kind == REFRESH and family_id is None:
        family_id = uuid.uuid4()
    secret = new_secret()
    expires_at = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
    session.add(
        AuthToken(
            user_id=user_id,
            kind=kind,
            token_hash=secret_digest(secret),
            expires_at=expires_at,
            family_id=family_id,
        )
    )
    await session.flush()
    return IssuedToken(secret=secret, expires_at=expires_at, family_id=family_id)


async def find_token(session: AsyncSession, *, kind: str, secret: str) -> AuthToken | None:
    """The token of `kind` this secret names, locked for the transaction; None for none."""
    query = (
        select(AuthToken)
        .where(AuthToken.token_hash == secret_digest(secret), AuthToken.kind == kind)
        .with_for_update()
    )
    found: AuthToken | None = await session.scalar(query)
    return found


async def mark_used(session: AsyncSession, token: AuthToken) -> None:
    token.used_at = datetime.now(UTC)
    await session.flush()


async def revoke_family(session: AsyncSession, *, family_id: uuid.UUID) -> int:
    """Every token of one sign-in stops working (sign-out, a stolen refresh token reused)."""
    result = await session.execute(
        update(AuthToken)
        .where(AuthToken.family_id == family_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def revoke_open_tokens(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kinds: tuple[str, ...] | None = None,
    keep_family: uuid.UUID | None = None,
) -> int:
    """Every not yet revoked token of the user of these kinds (of every kind without them)
    stops working, but for the sign-in `keep_family`."""
    wanted = [AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None)]
    if kinds is not None:
        wanted.append(AuthToken.kind.in_(kinds))
    if keep_family is not None:
        wanted.append(AuthToken.family_id.is_distinct_from(keep_family))
    result = await session.execute(
        update(AuthToken)
        .where(*wanted)
        .values(revoked_at=func.now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
