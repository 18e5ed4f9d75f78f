"""The mail actor (queue "mail"): sends one message of the mail outbox, with Dramatiq's retries.

Idempotent: a message already sent, or held by another worker, is left alone. Each failed try
is written down (attempts, last error); when the retries are spent the message is `dead`.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import uuid
from typing import TYPE_CHECKING

import anyio
import dramatiq

import tasks.broker  # noqa: F401  # the broker must be set before an actor is declared
from config.settings import get_settings
from persistence.sql.mail import claim_mail, mail_failed, mail_sent, unsent_mail
from tasks.mailer import compose, deliver
from tasks.resources import resources

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "MAIL_RELAY_AGE_SECONDS",
    "MAIL_STALLED_SECONDS",
    "MailHandOver",
    "MailNotSentError",
    "enqueue_mail",
    "relay_mail_once",
    "send_mail",
]

logger = logging.getLogger(__name__)
MAIL_RELAY_AGE_SECONDS = 60.0
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 300_000
# A failed mail with no try for this long has lost its retry message (Dramatiq schedules the next
# try at most MAX_BACKOFF_MS later): the relay announces it again.
MAIL_STALLED_SECONDS = 2 * MAX_BACKOFF_MS / 1000
DRAIN_SECONDS = 5.0


class MailNotSentError(Exception):
    """Raised after a failed try is recorded, so that Dramatiq retries the message."""


def _last_try(attempts_before: int) -> bool:
    """Whether a failed try is the last allowed: 1 + MAIL_MAX_RETRIES tries, counted on the row
    (so the relay's fresh messages for a stalled mail do not start the count again)."""
    return attempts_before + 1 > get_settings().mail_max_retries


def _try_sending(message_id: uuid.UUID) -> str | None:
    """None when sent (or nothing to send), else why the try failed (recorded)."""
    opened = resources()
    with opened.sessions.begin() as session:
        message = claim_mail(session, message_id=message_id)
        if message is None:
            return None
        email = compose(
            opened.settings,
            to=message.to_address,
            subject=message.subject,
            body=message.body,
            message_id=str(message.id),
        )
        try:
            deliver(opened.settings, email)
        except (OSError, smtplib.SMTPException) as error:
            reason = f"{type(error).__name__}: {error}"
            mail_failed(session, message, reason, dead=_last_try(message.attempts))
            return reason
        mail_sent(session, message)
    return None


@dramatiq.actor(
    queue_name="mail",
    max_retries=get_settings().mail_max_retries,
    min_backoff=MIN_BACKOFF_MS,
    max_backoff=MAX_BACKOFF_MS,
)
def send_mail(message_id: str) -> None:
    failure = _try_sending(uuid.UUID(message_id))
    if failure is not None:
        logger.warning("mail %s not sent: %s", message_id, failure)
        raise MailNotSentError(failure)


def enqueue_mail(message_ids: Sequence[uuid.UUID]) -> None:
    """Hand committed messages to the workers (raises if the broker is unreachable)."""
    for message_id in message_ids:
        send_mail.send(str(message_id))


def relay_mail_once(
    *,
    min_age_seconds: float = MAIL_RELAY_AGE_SECONDS,
    stalled_seconds: float = MAIL_STALLED_SECONDS,
) -> int:
    """Enqueue messages never tried this long after their commit, and failed ones whose retry
    was lost; returns how many."""
    with resources().sessions() as session:
        ids = unsent_mail(session, min_age_seconds=min_age_seconds, stalled_seconds=stalled_seconds)
    enqueue_mail(ids)
    return len(ids)


class MailHandOver:
    """Enqueues committed messages from background tasks, kept until done (or drained at
    shutdown), so a request never waits on the broker; what it cannot enqueue, the relay does."""

    def __init__(self, send: Callable[[Sequence[uuid.UUID]], None] = enqueue_mail) -> None:
        self._send = send
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self, message_ids: Sequence[uuid.UUID]) -> None:
        if not message_ids:
            return
        task = asyncio.get_running_loop().create_task(self._hand_over(list(message_ids)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, seconds: float = DRAIN_SECONDS) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)

    async def _hand_over(self, message_ids: list[uuid.UUID]) -> None:
        try:
            await anyio.to_thread.run_sync(self._send, message_ids)
        except Exception as error:  # committed: the relay sends them later
            logger.warning(
                "could not enqueue %d mails (%s); the relay will", len(message_ids), error
            )
