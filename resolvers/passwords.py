"""Passwords: changing one's own, and resetting a forgotten one through a mailed link.

A password change ends every other sign-in of the user (the caller's stays, with a new access
token); a reset ends every sign-in. Either way the trigger on `users` moves the token generation
on, so every access token issued before stops working.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlalchemy import func

from domain.errors import ErrorCode, UserError, UserErrors
from domain.security import hash_password, verify_password
from domain.validation import Checks, is_email
from persistence.sql.audit import AuditNote
from persistence.sql.auth_tokens import (
    REFRESH,
    find_token,
    mark_used,
    revoke_open_tokens,
)
from persistence.sql.models import User
from persistence.sql.repositories import users
from resolvers.mails import queue_link_mail, send_queued_mail
from resolvers.sign_ins import TOKEN_CHARACTERS, SignedIn, access_token, token_problem
from resolvers.throttling import Guard

if TYPE_CHECKING:
    from resolvers.context import Context

__all__ = ["change_password", "request_password_reset", "reset_password"]

KIND = "password_reset"
WRONG_PASSWORD = UserError(
    "currentPassword", "the current password is wrong", ErrorCode.UNAUTHENTICATED
)


async def change_password(context: Context, current: str, new: str) -> SignedIn:
    """Checks the current password, sets the new one, and ends every other sign-in."""
    principal = context.require_user()
    checks = Checks()
    checks.password("newPassword", new)
    if new == current:
        checks.fail("newPassword", "newPassword must differ from the current password")
    checks.raise_if_any()
    guard = Guard(context, "password", str(principal.user_id))
    await guard.check(field="currentPassword")
    async with context.unit_of_work() as uow:
        user = await uow.session.get(User, principal.user_id, with_for_update=True)
        if user is None or not user.is_active:
            raise UserErrors.one(None, "sign in first", ErrorCode.UNAUTHENTICATED)
        if not await asyncio.to_thread(verify_password, user.password_hash, current):
            uow.audit(AuditNote("password_change_failed", "user", str(user.id)))
            await uow.commit()
            await guard.failed()
            raise UserErrors(WRONG_PASSWORD)
        user.password_hash = await asyncio.to_thread(hash_password, new)
        await uow.session.flush()  # the trigger moves the generation on; read back at once
        await revoke_open_tokens(
            uow.session, user_id=user.id, kinds=(REFRESH, KIND), keep_family=context.session_id
        )
        uow.audit(AuditNote("password_changed", "user", str(user.id)))
        await uow.commit()
    await guard.succeeded()
    return access_token(context, user, context.session_id)


def _check_email(email: str) -> str:
    email = email.strip()
    if not email or len(email) > 254 or not is_email(email):
        raise UserErrors.one("email", "email must look like name@example.org", ErrorCode.VALIDATION)
    return email


async def request_password_reset(context: Context, email: str) -> None:
    """Mails a reset link if an active account has this address; answers the same either way."""
    email = _check_email(email)
    guard = Guard(context, "password-reset", email)
    await guard.check(field="email")
    await guard.attempted()  # every request counts, so nobody floods a mailbox
    async with context.unit_of_work() as uow:
        user = await users.active_user_mailed_at(uow.session, email=email)
        if user is None:
            uow.audit(AuditNote("password_reset_requested", details={"known": False}))
            await uow.commit()
            return
        ttl_seconds = context.settings.password_reset_ttl_seconds
        mail_id = await queue_link_mail(
            uow, context, user, page="reset-password", kind=KIND, ttl_seconds=ttl_seconds
        )
        note = AuditNote("password_reset_requested", "user", str(user.id), {"known": True}, user.id)
        uow.audit(note)
        await uow.commit()
    send_queued_mail(context, [mail_id])


async def reset_password(context: Context, secret: str, new: str) -> None:
    """Sets the new password of the reset token's user and ends every sign-in of theirs."""
    checks = Checks()
    if not secret.strip() or len(secret) > TOKEN_CHARACTERS:
        checks.fail("token", f"token must be a token of 1 to {TOKEN_CHARACTERS} characters")
    checks.password("newPassword", new)
    checks.raise_if_any()
    guard = Guard(context, "password-reset-token")
    await guard.check(field="token")
    password_hash = await asyncio.to_thread(hash_password, new)
    async with context.unit_of_work() as uow:
        token = await find_token(uow.session, kind=KIND, secret=secret)
        problem = token_problem(token, "token", "reset token")
        user = await uow.session.get(User, token.user_id) if token is not None else None
        if token is None or problem is not None or user is None or not user.is_active:
            await guard.failed()
            raise UserErrors(problem or UserError("token", "not valid", ErrorCode.TOKEN_INVALID))
        await mark_used(uow.session, token)
        user.password_hash = password_hash
        if user.email_verified_at is None:  # the link reached the address: it is theirs
            user.email_verified_at = func.now()
        await revoke_open_tokens(uow.session, user_id=user.id, kinds=(REFRESH, KIND))
        uow.audit(AuditNote("password_reset", "user", str(user.id), actor_id=user.id))
        await uow.commit()
