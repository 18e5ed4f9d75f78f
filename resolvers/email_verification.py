"""Email verification: a single-use, expiring link sent to the account's address."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserError, UserErrors
from persistence.sql.audit import AuditNote
from persistence.sql.auth_tokens import find_token, mark_used
from persistence.sql.models import User
from resolvers.mails import queue_link_mail, send_queued_mail
from resolvers.sign_ins import check_secret, token_problem
from resolvers.throttling import Guard

if TYPE_CHECKING:
    import uuid

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = ["queue_verification_mail", "request_email_verification", "verify_email"]

KIND = "email_verification"


async def queue_verification_mail(uow: UnitOfWork, context: Context, user: User) -> uuid.UUID:
    """A fresh verification link for the user (earlier ones stop working), as a queued mail."""
    ttl_seconds = context.settings.email_verification_ttl_seconds
    return await queue_link_mail(
        uow, context, user, page="verify-email", kind=KIND, ttl_seconds=ttl_seconds
    )


async def request_email_verification(context: Context) -> None:
    """Sends the signed-in user a new verification link."""
    principal = context.require_user()
    guard = Guard(context, "email-verification", str(principal.user_id))
    await guard.check()
    async with context.unit_of_work() as uow:
        user = await uow.session.get(User, principal.user_id)
        if user is None or not user.is_active:
            raise UserErrors.one(None, "sign in first", ErrorCode.UNAUTHENTICATED)
        if user.email_verified_at is not None:
            raise UserErrors.one(
                None, "your email address is already verified", ErrorCode.VALIDATION
            )
        await guard.attempted()  # every mail sent counts, so nobody floods a mailbox
        mail_id = await queue_verification_mail(uow, context, user)
        uow.audit(AuditNote("email_verification_requested", "user", str(user.id)))
        await uow.commit()
    send_queued_mail(context, [mail_id])


async def verify_email(context: Context, secret: str) -> User:
    """Marks the address of the token's user verified; the token is used up."""
    guard = Guard(context, "email-verification-token")
    await guard.check(field="token")
    check_secret("token", secret)
    async with context.unit_of_work() as uow:
        token = await find_token(uow.session, kind=KIND, secret=secret)
        problem = token_problem(token, "token", "verification token")
        user = await uow.session.get(User, token.user_id) if token is not None else None
        if token is None or problem is not None or user is None or not user.is_active:
            await guard.failed()
            raise UserErrors(problem or UserError("token", "not valid", ErrorCode.TOKEN_INVALID))
        await mark_used(uow.session, token)
        if user.email_verified_at is None:
            user.email_verified_at = datetime.now(UTC)
        note = AuditNote("email_verified", "user", str(user.id), {"email": user.email}, user.id)
        uow.audit(note)
        await uow.commit()
    return user
