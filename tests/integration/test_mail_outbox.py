"""The mail outbox: a worker sends what a mutation committed; failures are recorded and retried."""

from __future__ import annotations

import dataclasses
import socket
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

import tasks.mail
from persistence.sql.mail import unsent_mail
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


def failed_mail(engine: Engine, *, attempts: int, last_try_ago: str) -> uuid.UUID:
    """A mail that failed `attempts` times, the last try `last_try_ago` (an SQL interval)."""
    with engine.begin() as connection:
        message_id: uuid.UUID = connection.execute(
            text(
                "INSERT INTO mail_outbox (id, to_address, subject, body, status, attempts,"
                " last_error, last_tried_at) VALUES (gen_random_uuid(), 'bob@example.org',"
                " 'Hello', 'Hi', 'failed', :attempts, 'ConnectionRefusedError',"
                " now() - CAST(:ago AS interval)) RETURNING id"
            ),
            {"attempts": attempts, "ago": last_try_ago},
        ).scalar_one()
    return message_id


async def test_the_relay_sends_again_a_failed_mail_whose_retry_was_lost(
    engine: Engine, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a mail that failed an hour ago and was never tried again (its retry message lost),
    # and one that failed a moment ago (its retry is still on its way)
    stalled = failed_mail(engine, attempts=1, last_try_ago="1 hour")
    retrying = failed_mail(engine, attempts=1, last_try_ago="1 second")
    with resources().sessions() as session:
        announced = unsent_mail(session, min_age_seconds=60, stalled_seconds=600)
    # then the relay announces the stalled one only, and a worker sends it
    assert stalled in announced
    assert retrying not in announced
    assert relay_mail_once(min_age_seconds=60, stalled_seconds=600) >= 1
    eventually(lambda: message_row(engine, stalled)["status"] == "sent")
    assert logged_mail(settings.mail_log_path, str(stalled)) is not None
    assert message_row(engine, stalled)["attempts"] == 2


async def test_a_mail_is_dead_after_its_last_try_however_its_messages_came(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a mail that failed every try but one, and an SMTP server that refuses connections
    opened = resources()
    message_id = failed_mail(
        engine, attempts=opened.settings.mail_max_retries, last_try_ago="1 hour"
    )
    refusing = opened.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": closed_port(), "smtp_security": "none"}
    )
    monkeypatch.setattr(
        tasks.mail, "resources", lambda: dataclasses.replace(opened, settings=refusing)
    )
    # when a fresh message (the relay's, with no Dramatiq retries of its own) tries it once more
    with pytest.raises(tasks.mail.MailNotSentError):
        tasks.mail.send_mail.fn(str(message_id))
    # then it is dead, for an operator, and no further message sends it
    dead = message_row(engine, message_id)
    assert (dead["status"], dead["attempts"]) == ("dead", opened.settings.mail_max_retries + 1)
    monkeypatch.setattr(tasks.mail, "resources", lambda: opened)
    tasks.mail.send_mail.fn(str(message_id))
    assert message_row(engine, message_id)["status"] == "dead"
