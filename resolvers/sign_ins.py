"""Sign-ins: an access token (short-lived) and a refresh token (single use, rotated) per sign-in.

A sign-in is a family of refresh tokens; its id travels in each access token as `sid`. Using a
refresh token marks it used and issues the next of its family. A used token presented again
means that two parties hold it (one of them a thief): the whole family is revoked, and with it
the sign-in's access tokens. Signing out revokes the family (or every family of the user).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserError, UserErrors
from domain.roles import Role
from domain.security import Principal, issue_token
from persistence.sql.audit import AuditNote
from persistence.sql.auth_tokens import (
    REFRESH,
    find_token,
    mark_used,
    revoke_family,
    revoke_open_tokens,
)
from persistence.sql.auth_tokens import (
    issue_token as issue_secret_token,
)
from persistence.sql.models import AuthToken, User
from persistence.sql.principals import revoke_tokens
from resolvers.throttling import Guard

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = [
    "TOKEN_CHARACTERS",
    "SignedIn",
    "access_token",
    "check_secret",
    "refresh",
    "sign_in",
    "sign_out",
    "token_problem",
]

TOKEN_CHARACTERS = 200


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime  # when `token` expires
    refresh_token: str | None
    user: User


def access_token(context: Context, user: User, session_id: uuid.UUID | None) -> SignedIn:
    """An access token for the user's current role and generation, tied to the sign-in."""
    settings = context.settings
    token = issue_token(
        Principal(user_id=user.id, role=Role(user.role)),
        generation=user.token_generation,
        secret=settings.token_secret.get_secret_value(),
        ttl_seconds=settings.token_ttl_seconds,
        session_id=session_id,
    )
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.token_ttl_seconds)
    return SignedIn(token=token, expires_at=expires_at, refresh_token=None, user=user)


async def sign_in(uow: UnitOfWork, context: Context, user: User) -> SignedIn:
    """A new sign-in of the user, written with the unit of work (commit it to make it count)."""
    refresh_token = await issue_secret_token(
        uow.session,
        user_id=user.id,
        kind=REFRESH,
        ttl_seconds=context.settings.refresh_token_ttl_seconds,
    )
    signed_in = access_token(context, user, refresh_token.family_id)
    return SignedIn(signed_in.token, signed_in.expires_at, refresh_token.secret, user)


def token_problem(token: AuthToken | None, field: str, noun: str) -> UserError | None:
    """Why a token found by its secret cannot be used; None when it can."""
    if token is None or token.used_at is not None or token.revoked_at is not None:
        return UserError(field, f"this {noun} is not valid", ErrorCode.TOKEN_INVALID)
    if token.expires_at <= datetime.now(UTC):
        return UserError(field, f"this {noun} has expired", ErrorCode.TOKEN_EXPIRED)
    return None


def check_secret(field: str, secret: str) -> None:
    if not secret.strip() or len(secret) > TOKEN_CHARACTERS:
        message = f"{field} must be a token of 1 to {TOKEN_CHARACTERS} characters"
        raise UserErrors.one(field, message, ErrorCode.VALIDATION)


async def _rotate(uow: UnitOfWork, context: Context, token: AuthToken) -> SignedIn:
    user = await uow.session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise UserErrors.one(
            "refreshToken", "this refresh token is not valid", ErrorCode.TOKEN_INVALID
        )
    await mark_used(uow.session, token)
    family = token.family_id or token.id
    fresh = await issue_secret_token(
        uow.session,
        user_id=user.id,
        kind=REFRESH,
        ttl_seconds=context.settings.refresh_token_ttl_seconds,
        family_id=family,
    )
    uow.audit(AuditNote("token_refreshed", "user", str(user.id), actor_id=user.id))
    signed_in = access_token(context, user, family)
    return SignedIn(signed_in.token, signed_in.expires_at, fresh.secret, user)


async def _revoke_reused(uow: UnitOfWork, token: AuthToken) -> None:
    """A used token came back: revoke its family (committed, whatever the answer)."""
    if token.family_id is not None:
        await revoke_family(uow.session, family_id=token.family_id)
    details = {"family": str(token.family_id)}
    uow.audit(
        AuditNote("refresh_reuse_detected", "user", str(token.user_id), details, token.user_id)
    )
    await uow.commit()


async def refresh(context: Context, secret: str) -> SignedIn:
    """The next access and refresh token of the sign-in the refresh token belongs to."""
    guard = Guard(context, "refresh")
    await guard.check(field="refreshToken")
    check_secret("refreshToken", secret)
    async with context.unit_of_work() as uow:
        token = await find_token(uow.session, kind=REFRESH, secret=secret)
        problem = token_problem(token, "refreshToken", "refresh token")
        if token is not None and token.used_at is not None and token.revoked_at is None:
            await _revoke_reused(uow, token)
        if token is None or problem is not None:
            await guard.failed()
            raise UserErrors(
                problem or UserError("refreshToken", "not valid", ErrorCode.TOKEN_INVALID)
            )
        signed_in = await _rotate(uow, context, token)
        await uow.commit()
    return signed_in


async def sign_out(context: Context, *, everywhere: bool) -> bool:
    """Ends the caller's sign-in (its refresh tokens and access tokens), or every sign-in."""
    principal = context.require_user()
    session_id = context.session_id
    if not everywhere and session_id is None:
        raise UserErrors.one(
            "allSessions",
            "this token belongs to no sign-in of its own: sign out with allSessions",
            ErrorCode.VALIDATION,
        )
    async with context.unit_of_work() as uow:
        if session_id is not None:
            await revoke_family(uow.session, family_id=session_id)
        if everywhere:
            await revoke_open_tokens(uow.session, user_id=principal.user_id, kinds=(REFRESH,))
            await revoke_tokens(uow.session, user_id=principal.user_id)
        details = {"allSessions": everywhere}
        uow.audit(AuditNote("logout", "user", str(principal.user_id), details))
        await uow.commit()
    return True
