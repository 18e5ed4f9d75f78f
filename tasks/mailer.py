"""Where a message goes: an SMTP server (SMTP_HOST), or else the dev mail log, an mbox file.

The mail log (MAIL_LOG_PATH) is a standard mbox: `mutt -f var/mail.mbox`, or Python's
`mailbox.mbox`, reads it. Appends take the mbox lock, so several workers can share the file.
"""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["compose", "deliver"]


def compose(
    settings: Settings, *, to: str, subject: str, body: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(idstring=message_id, domain="learngraph")
    # plain ASCII stays readable in the mail log (links unbroken); anything else is encoded
    message.set_content(body, cte="7bit" if body.isascii() else None)
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send the message; raises OSError or smtplib.SMTPException when it could not go."""
    if settings.smtp_host:
        _send_smtp(settings, message)
    else:
        _append_to_log(settings, message)


def _send_smtp(settings: Settings, message: EmailMessage) -> None:
    host, port, timeout = (
        settings.smtp_host or "",
        settings.smtp_port,
        settings.smtp_timeout_seconds,
    )
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            client.login(settings.smtp_username, password)
        client.send_message(message)


def _append_to_log(settings: Settings, message: EmailMessage) -> None:
    path = settings.mail_log_path
    path.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(path, create=True)
    box.lock()
    try:
        box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()
