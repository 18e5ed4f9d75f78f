"""The mail outbox: a worker sends what a mutation committed; failures are recorded and retried."""

from __future__ import annotations

import dataclasses
import socket
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

import tasks.mail
from tasks.mail import relay_mail_once
from tasks.resources import resources
from tests.support.contract import operation
from tests.support.mail import link_token, logged_mail, outbox_mail
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import uuid

    import dramatiq

    from config.settings import Settings
    from tests.support.api import Api

REGISTER = operation("Register")
ADA = {"username": "ada", "email": "ada@example.org", "password": "ada-password-1"}


def message_row(engine: Engine, message_id: uuid.UUID) -> dict[str, Any]:
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT * FROM mail_outbox WHERE id = :id"), {"id": message_id}
        )
        return dict(found.mappings().one())


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_worker_sends_the_registration_mail_to_the_mail_log(
    api: Api, engine: Engine, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given ada registered (her verification mail is committed with her account)
    await api.data(REGISTER, {"input": ADA})
    (mail,) = outbox_mail(engine, ADA["email"])
    # when a worker has sent it
    eventually(lambda: message_row(engine, mail["id"])["status"] == "sent")
    # then the mail log holds it, with the link
    logged = logged_mail(settings.mail_log_path, str(mail["id"]))
    assert logged is not None
    assert logged["To"] == ADA["email"]
    assert logged["Subject"] == "Confirm your email address"
    assert link_token(str(logged.get_payload())) == link_token(mail["body"])
    assert message_row(engine, mail["id"])["attempts"] == 1


async def test_the_relay_sends_a_mail_whose_hand_over_was_lost(
    api: Api, engine: Engine, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a committed mail that no message announces (the broker was down at commit time)
    with engine.begin() as connection:
        message_id = connection.execute(
            text(
                "INSERT INTO mail_outbox (id, to_address, subject, body, status, attempts)"
                " VALUES (gen_random_uuid(), 'bob@example.org', 'Hello', 'Hi', 'pending', 0)"
                " RETURNING id"
            )
        ).scalar_one()
    # when the relay runs, then a worker sends it
    assert relay_mail_once(min_age_seconds=0) >= 1
    eventually(lambda: message_row(engine, message_id)["status"] == "sent")
    assert logged_mail(settings.mail_log_path, str(message_id)) is not None


async def test_a_failed_send_is_recorded_for_a_retry_and_a_sent_mail_is_not_sent_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a mail, and an SMTP server that refuses connections
    with engine.begin() as connection:
        message_id = connection.execute(
            text(
                "INSERT INTO mail_outbox (id, to_address, subject, body, status, attempts)"
                " VALUES (gen_random_uuid(), 'bob@example.org', 'Hello', 'Hi', 'pending', 0)"
                " RETURNING id"
            )
        ).scalar_one()
    opened = resources()
    refusing = opened.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": closed_port(), "smtp_security": "none"}
    )
    broken = dataclasses.replace(opened, settings=refusing)
    monkeypatch.setattr(tasks.mail, "resources", lambda: broken)
    # when a worker tries to send it
    with pytest.raises(tasks.mail.MailNotSentError):
        tasks.mail.send_mail.fn(str(message_id))
    # then the try is recorded and the mail waits for Dramatiq's retry
    failed = message_row(engine, message_id)
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert "ConnectionRefusedError" in failed["last_error"]
    # and once it went out, another message for it sends nothing more
    monkeypatch.setattr(tasks.mail, "resources", lambda: opened)
    tasks.mail.send_mail.fn(str(message_id))
    tasks.mail.send_mail.fn(str(message_id))
    sent = message_row(engine, message_id)
    assert (sent["status"], sent["attempts"], sent["last_error"]) == ("sent", 2, None)
