"""The mail outbox: a message is a row written in the transaction of the change that causes it.

A worker sends it after the commit (tasks/mail.py); a message whose sending was never enqueued
(Redis down at commit time, the API gone) is found again by the relay.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from domain.mail import UNSENT, MailStatus
from persistence.sql.models import MailMessage

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

__all__ = ["claim_mail", "mail_failed", "mail_sent", "queue_mail", "unsent_mail"]

ERROR_CHARACTERS = 2000


async def queue_mail(session: AsyncSession, *, to: str, subject: str, body: str) -> uuid.UUID:
    """A message to send once the session's transaction commits."""
    message = MailMessage(id=uuid.uuid4(), to_address=to, subject=subject, body=body)
    session.add(message)
    await session.flush()
    return message.id


def claim_mail(session: Session, *, message_id: uuid.UUID) -> MailMessage | None:
    """The message, locked, while it still has to be sent and no other worker holds it."""
    query = (
        select(MailMessage)
        .where(MailMessage.id == message_id, MailMessage.status.in_(UNSENT))
        .with_for_update(skip_locked=True)
    )
    found: MailMessage | None = session.scalar(query)
    return found


def mail_sent(session: Session, message: MailMessage) -> None:
    message.status = MailStatus.SENT
    message.attempts += 1
    message.last_tried_at = func.now()
    message.last_error = None
    message.sent_at = func.now()  # evaluated by PostgreSQL


def mail_failed(session: Session, message: MailMessage, error: str, *, dead: bool) -> None:
    """One more failed attempt; `dead` when no retry is left (an operator's to look at)."""
    message.status = MailStatus.DEAD if dead else MailStatus.FAILED
    message.attempts += 1
    message.last_tried_at = func.now()
    message.last_error = error[:ERROR_CHARACTERS]


def unsent_mail(
    session: Session, *, min_age_seconds: float, stalled_seconds: float, limit: int = 500
) -> list[uuid.UUID]:
    """Messages to announce again, oldest first: pending (never tried) this long after they were
    written, or failed with no try for stalled_seconds (their retry message was lost)."""
    now = func.now()
    never_tried = and_(
        MailMessage.status == MailStatus.PENDING,
        MailMessage.created_at <= now - timedelta(seconds=min_age_seconds),
    )
    stalled = and_(
        MailMessage.status == MailStatus.FAILED,
        MailMessage.last_tried_at <= now - timedelta(seconds=stalled_seconds),
    )
    query = (
        select(MailMessage.id)
        .where(or_(never_tried, stalled))
        .order_by(MailMessage.created_at)
        .limit(limit)
    )
    return list(session.scalars(query))
