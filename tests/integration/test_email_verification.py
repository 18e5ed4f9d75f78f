"""Email verification: registration mails a single-use link; a new request replaces it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.mail import link_token, outbox_mail
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.api import Api

REGISTER = operation("Register")
REQUEST = operation("RequestEmailVerification")
VERIFY = operation("VerifyEmail")
ADA = {"username": "ada", "email": "ada@example.org", "password": "ada-password-1"}


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def verified(engine: Engine) -> bool:
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT email_verified_at IS NOT NULL FROM users WHERE username = 'ada'")
        ).scalar()
    return bool(found)


async def register_ada(api: Api) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(REGISTER, {"input": ADA}))["register"]
    assert payload["errors"] == []
    api.token = payload["token"]
    return payload


async def test_registration_mails_a_link_that_verifies_the_address_once(
    api: Api, engine: Engine
) -> None:
    # given ada registered, and the mail written for her
    await register_ada(api)
    (mail,) = outbox_mail(engine, ADA["email"])
    assert mail["subject"] == "Confirm your email address"
    assert mail["status"] == "pending"
    # when the link's token is sent, signed in or not
    api.token = None
    payload = (await api.data(VERIFY, {"token": link_token(mail["body"])}))["verifyEmail"]
    # then the address is verified
    assert payload["errors"] == []
    assert payload["user"]["emailVerified"] is True
    assert verified(engine)
    # and the token is used up
    again = (await api.data(VERIFY, {"token": link_token(mail["body"])}))["verifyEmail"]
    assert codes(again) == [("token", "TOKEN_INVALID")]
    with engine.connect() as connection:
        actions = connection.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars()
        assert list(actions) == ["registered", "email_verified"]


async def test_a_new_verification_link_replaces_the_previous_one(api: Api, engine: Engine) -> None:
    await register_ada(api)
    payload = (await api.data(REQUEST))["requestEmailVerification"]
    assert payload == {"ok": True, "errors": []}
    first, second = (link_token(mail["body"]) for mail in outbox_mail(engine, ADA["email"]))
    assert codes((await api.data(VERIFY, {"token": first}))["verifyEmail"]) == [
        ("token", "TOKEN_INVALID")
    ]
    assert not verified(engine)
    assert (await api.data(VERIFY, {"token": second}))["verifyEmail"]["errors"] == []


async def test_an_expired_verification_token_is_refused_as_expired(
    api: Api, engine: Engine
) -> None:
    await register_ada(api)
    with engine.begin() as connection:
        connection.execute(text("UPDATE auth_tokens SET expires_at = now() - interval '1 second'"))
    token = link_token(outbox_mail(engine, ADA["email"])[0]["body"])
    assert codes((await api.data(VERIFY, {"token": token}))["verifyEmail"]) == [
        ("token", "TOKEN_EXPIRED")
    ]
    assert not verified(engine)


async def test_a_verified_address_gets_no_new_link(api: Api, engine: Engine) -> None:
    await register_ada(api)
    token = link_token(outbox_mail(engine, ADA["email"])[0]["body"])
    await api.data(VERIFY, {"token": token})
    payload = (await api.data(REQUEST))["requestEmailVerification"]
    assert codes(payload) == [(None, "VALIDATION")]
    assert len(outbox_mail(engine, ADA["email"])) == 1


async def test_asking_for_a_link_needs_a_sign_in(api: Api, engine: Engine) -> None:
    payload = (await api.data(REQUEST))["requestEmailVerification"]
    assert codes(payload) == [(None, "UNAUTHENTICATED")]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM mail_outbox")).scalar() == 0


async def test_a_malformed_verification_token_is_refused_naming_the_field(api: Api) -> None:
    assert codes((await api.data(VERIFY, {"token": " "}))["verifyEmail"]) == [
        ("token", "VALIDATION")
    ]


async def test_no_auth_artefact_reaches_the_graph(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given ada registered and verified, and her account applied to the graph
    await register_ada(api)
    token = link_token(outbox_mail(engine, ADA["email"])[0]["body"])
    await api.data(VERIFY, {"token": token})

    def graph_user() -> list[dict[str, object]]:
        records, _, _ = graph.execute_query(
            "MATCH (u:User {username: 'ada'}) RETURN properties(u) AS p",
            database_=settings.neo4j_database,
        )
        return [dict(record["p"]) for record in records]

    (node,) = eventually(graph_user)
    # then the graph holds her as an actor only: no email, hash, token or verification
    assert set(node) <= {"id", "username", "role", "is_active", "version", "content_hash"}
    records, _, _ = graph.execute_query(
        "MATCH (n) UNWIND keys(n) AS key RETURN DISTINCT key", database_=settings.neo4j_database
    )
    keys = {record["key"] for record in records}
    assert not {key for key in keys if "token" in key or "password" in key or "email" in key}
