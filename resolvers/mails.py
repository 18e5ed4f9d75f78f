"""The mails the API writes into the mail outbox, and their hand-over to the workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.auth_tokens import issue_token, revoke_open_tokens
from persistence.sql.mail import queue_mail

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from persistence.sql.models import User
    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = ["queue_link_mail", "send_queued_mail"]


TEXTS = {
    "verify-email": (
        "Confirm your email address",
        "Hello {username},\n\nconfirm that this address is yours by opening this link:\n\n"
        "{link}\n\nor by sending this token with the verifyEmail mutation:\n\n{token}\n\n"
        "The link works once and expires at {expires} (UTC). If you did not create an account "
        "on learngraph, ignore this message.\n",
    ),
    "reset-password": (
        "Reset your password",
        "Hello {username},\n\nsomeone (we hope you) asked to reset your password. Choose a new "
        "one by opening this link:\n\n{link}\n\nor by sending this token with the resetPassword "
        "mutation:\n\n{token}\n\nThe link works once and expires at {expires} (UTC). If you did "
        "not ask for it, ignore this message: your password stays as it is.\n",
    ),
}


async def queue_link_mail(
    uow: UnitOfWork, context: Context, user: User, *, page: str, kind: str, ttl_seconds: int
) -> uuid.UUID:
    """A mail carrying a fresh single-use link (a `kind` token) to `page` of the app, written
    with the unit of work; the user's earlier links of that kind stop working."""
    await revoke_open_tokens(uow.session, user_id=user.id, kinds=(kind,))
    issued = await issue_token(uow.session, user_id=user.id, kind=kind, ttl_seconds=ttl_seconds)
    token, expires = issued.secret, issued.expires_at.strftime("%Y-%m-%d %H:%M")
    subject, body = TEXTS[page]
    link = f"{context.settings.app_url.rstrip('/')}/{page}?token={token}"
    text = body.format(username=user.username, link=link, token=token, expires=expires)
    return await queue_mail(uow.session, to=user.email, subject=subject, body=text)


def send_queued_mail(context: Context, message_ids: Sequence[uuid.UUID]) -> None:
    """Hand committed messages to the workers without making the caller wait."""
    context.resources.send_mail(message_ids)
