"""Reading mail: the mail outbox's rows, and the dev mail log (an mbox) the workers write."""

from __future__ import annotations

import mailbox
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from email.message import Message
    from pathlib import Path

__all__ = ["link_token", "logged_mail", "logged_mail_to", "outbox_mail"]

TOKEN = re.compile(r"\?token=([A-Za-z0-9_-]+)")


def link_token(body: str) -> str:
    """The token of the single-use link in a mail's body."""
    found = TOKEN.search(body)
    assert found, body
    return found.group(1)


def outbox_mail(engine: Engine, to: str) -> list[dict[str, Any]]:
    """The mail outbox's messages to an address, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT * FROM mail_outbox WHERE to_address = :to ORDER BY created_at, id"),
            {"to": to},
        )
        return [dict(row) for row in rows.mappings()]


def logged_mail(path: Path, message_id: str) -> Message | None:
    """The message of the mail outbox row `message_id` in the mail log, if it is there."""
    if not path.exists():
        return None
    box = mailbox.mbox(path, create=False)
    try:
        for message in box:
            if message_id in str(message.get("Message-ID", "")):
                return message
    finally:
        box.close()
    return None


def logged_mail_to(path: Path, address: str, subject: str) -> list[str]:
    """The bodies of the mail log's messages to `address` with `subject`, oldest first."""
    if not path.exists():
        return []
    box = mailbox.mbox(path, create=False)
    try:
        return [
            str(message.get_payload())
            for message in box
            if message["To"] == address and message["Subject"] == subject
        ]
    finally:
        box.close()
