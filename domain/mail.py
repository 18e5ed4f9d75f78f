"""Where a mail of the mail outbox stands on its way out."""

from __future__ import annotations

import enum

__all__ = ["UNSENT", "MailStatus"]


class MailStatus(enum.StrEnum):
    """`mail_outbox.status`."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


# Mails still to send: never tried, or tried and to be tried again.
UNSENT = (MailStatus.PENDING, MailStatus.FAILED)
