"""Passwords: changing one's own (other sign-ins end), resetting a forgotten one by mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.mail import link_token, outbox_mail

if TYPE_CHECKING:
    from tests.support.api import Api

LOGIN = operation("LoginWithRefresh")
REFRESH = operation("RefreshToken")
CHANGE = operation("ChangePassword")
REQUEST_RESET = operation("RequestPasswordReset")
RESET = operation("ResetPassword")
REGISTER = operation("Register")
ME = "query { me { username } }"
ADA = {"username": "ada", "email": "ada@example.org", "password": "ada-password-1"}


def scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def register_ada(api: Api) -> None:
    payload = (await api.data(REGISTER, {"input": ADA}))["register"]
    assert payload["errors"] == []
    api.token = None


async def login(api: Api, password: str) -> dict[str, Any]:
    api.token = None
    payload: dict[str, Any] = (await api.data(LOGIN, {"username": "ada", "password": password}))[
        "login"
    ]
    return payload


async def me_refused(api: Api, token: str) -> bool:
    api.token = token
    body = await api.send(ME)
    return bool(body.get("errors")) and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def refresh_codes(api: Api, refresh_token: str) -> list[tuple[str | None, str]]:
    api.token = None
    return codes((await api.data(REFRESH, {"refreshToken": refresh_token}))["refreshToken"])


async def test_changing_the_password_ends_every_other_sign_in_and_keeps_this_one(
    api: Api, engine: Engine
) -> None:
    # given ada signed in twice
    await register_ada(api)
    this, other = await login(api, ADA["password"]), await login(api, ADA["password"])
    # when she changes her password from the first sign-in
    api.token = this["token"]
    variables = {"currentPassword": ADA["password"], "newPassword": "ada-password-2"}
    body = await api.send(CHANGE.replace("ok\n", "ok\n    token\n", 1), variables)
    payload = body["data"]["changePassword"]
    assert payload["ok"] is True
    assert payload["errors"] == []
    # then the other sign-in's tokens stop working; this one's refresh token still works
    assert await me_refused(api, other["token"])
    assert await refresh_codes(api, other["refreshToken"]) == [("refreshToken", "TOKEN_INVALID")]
    assert await refresh_codes(api, this["refreshToken"]) == []
    # and the payload's new token works, the old access token does not
    assert not await me_refused(api, payload["token"])
    assert await me_refused(api, this["token"])
    # and only the new password signs in
    assert codes(await login(api, ADA["password"])) == [("password", "UNAUTHENTICATED")]
    assert (await login(api, "ada-password-2"))["errors"] == []
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'password_changed'") == 1


@pytest.mark.parametrize(
    ("current", "new", "expected"),
    [
        ("wrong-password", "ada-password-2", [("currentPassword", "UNAUTHENTICATED")]),
        (ADA["password"], "short", [("newPassword", "VALIDATION")]),
        (ADA["password"], "x" * 129, [("newPassword", "VALIDATION")]),
        (ADA["password"], " \u00a0\u200b" * 4, [("newPassword", "VALIDATION")]),
        (ADA["password"], ADA["password"], [("newPassword", "VALIDATION")]),
    ],
)
async def test_a_bad_password_change_is_refused_naming_the_field_and_changes_nothing(
    api: Api, engine: Engine, current: str, new: str, expected: list[tuple[str, str]]
) -> None:
    await register_ada(api)
    signed_in = await login(api, ADA["password"])
    before = scalar(
        engine, "SELECT password_hash || token_generation FROM users WHERE username = 'ada'"
    )
    api.token = signed_in["token"]
    payload = (await api.data(CHANGE, {"currentPassword": current, "newPassword": new}))[
        "changePassword"
    ]
    assert codes(payload) == expected
    assert payload["ok"] is None
    after = scalar(
        engine, "SELECT password_hash || token_generation FROM users WHERE username = 'ada'"
    )
    assert after == before
    assert await refresh_codes(api, signed_in["refreshToken"]) == []


async def test_changing_a_password_needs_a_sign_in(api: Api) -> None:
    variables = {"currentPassword": "whatever-1", "newPassword": "whatever-2"}
    payload = (await api.data(CHANGE, variables))["changePassword"]
    assert codes(payload) == [(None, "UNAUTHENTICATED")]


async def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(
    api: Api, engine: Engine
) -> None:
    await register_ada(api)
    known = await api.data(REQUEST_RESET, {"email": "ADA@example.org"})
    unknown = await api.data(REQUEST_RESET, {"email": "nobody@example.org"})
    assert known == unknown == {"requestPasswordReset": {"ok": True, "errors": []}}
    # and only the known address gets a mail
    assert [m["subject"] for m in outbox_mail(engine, "ada@example.org")] == [
        "Confirm your email address",
        "Reset your password",
    ]
    assert outbox_mail(engine, "nobody@example.org") == []


async def test_a_reset_with_the_mailed_token_sets_the_password_and_ends_every_sign_in(
    api: Api, engine: Engine
) -> None:
    # given ada signed in, and a reset link mailed to her
    await register_ada(api)
    signed_in = await login(api, ADA["password"])
    await api.data(REQUEST_RESET, {"email": ADA["email"]})
    token = link_token(outbox_mail(engine, ADA["email"])[-1]["body"])
    # when she resets her password with it
    variables = {"token": token, "newPassword": "ada-password-3"}
    payload = (await api.data(RESET, variables))["resetPassword"]
    # then the new password signs in and every earlier token stops working
    assert payload == {"ok": True, "errors": []}
    assert (await login(api, "ada-password-3"))["errors"] == []
    assert await me_refused(api, signed_in["token"])
    assert await refresh_codes(api, signed_in["refreshToken"]) == [
        ("refreshToken", "TOKEN_INVALID")
    ]
    # and the link works once
    again = await api.data(RESET, {**variables, "newPassword": "ada-password-4"})
    assert codes(again["resetPassword"]) == [("token", "TOKEN_INVALID")]
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'password_reset'") == 1


async def test_a_new_reset_link_replaces_the_previous_one(api: Api, engine: Engine) -> None:
    await register_ada(api)
    await api.data(REQUEST_RESET, {"email": ADA["email"]})
    await api.data(REQUEST_RESET, {"email": ADA["email"]})
    first, second = (link_token(m["body"]) for m in outbox_mail(engine, ADA["email"])[1:])
    payload = await api.data(RESET, {"token": first, "newPassword": "ada-password-3"})
    assert codes(payload["resetPassword"]) == [("token", "TOKEN_INVALID")]
    payload = await api.data(RESET, {"token": second, "newPassword": "ada-password-3"})
    assert payload["resetPassword"]["ok"] is True


async def test_an_expired_reset_token_is_refused_as_expired(api: Api, engine: Engine) -> None:
    await register_ada(api)
    await api.data(REQUEST_RESET, {"email": ADA["email"]})
    token = link_token(outbox_mail(engine, ADA["email"])[-1]["body"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE auth_tokens SET expires_at = now() - interval '1 second'"))
    payload = await api.data(RESET, {"token": token, "newPassword": "ada-password-3"})
    assert codes(payload["resetPassword"]) == [("token", "TOKEN_EXPIRED")]
    assert (await login(api, ADA["password"]))["errors"] == []


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"token": "", "newPassword": "long-enough-1"}, [("token", "VALIDATION")]),
        ({"token": "abc", "newPassword": "short"}, [("newPassword", "VALIDATION")]),
        ({"token": "no-such-token", "newPassword": "long-enough-1"}, [("token", "TOKEN_INVALID")]),
    ],
)
async def test_a_bad_reset_is_refused_naming_the_field_and_writes_nothing(
    api: Api, engine: Engine, variables: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    before = scalar(engine, "SELECT string_agg(password_hash, ',') FROM users")
    payload = (await api.data(RESET, variables))["resetPassword"]
    assert codes(payload) == expected
    assert scalar(engine, "SELECT string_agg(password_hash, ',') FROM users") == before


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.org"])
async def test_a_reset_request_for_a_malformed_address_is_refused_naming_the_field(
    api: Api, engine: Engine, email: str
) -> None:
    payload = (await api.data(REQUEST_RESET, {"email": email}))["requestPasswordReset"]
    assert codes(payload) == [("email", "VALIDATION")]
    assert scalar(engine, "SELECT count(*) FROM mail_outbox") == 0


async def test_reset_requests_for_one_address_are_throttled(api: Api, engine: Engine) -> None:
    # given five reset requests for one address (THROTTLE_MAX_FAILURES)
    await register_ada(api)
    for _ in range(5):
        assert (await api.data(REQUEST_RESET, {"email": ADA["email"]}))["requestPasswordReset"][
            "ok"
        ]
    # when a sixth comes, then it is refused and no mail is written
    payload = (await api.data(REQUEST_RESET, {"email": ADA["email"]}))["requestPasswordReset"]
    assert codes(payload) == [("email", "RATE_LIMITED")]
    assert len(outbox_mail(engine, ADA["email"])) == 1 + 5


async def test_guessing_the_current_password_is_throttled(api: Api, engine: Engine) -> None:
    # given five wrong current passwords from one sign-in (THROTTLE_MAX_FAILURES)
    await register_ada(api)
    api.token = (await login(api, ADA["password"]))["token"]
    wrong = {"currentPassword": "wrong-password", "newPassword": "ada-password-2"}
    for _ in range(5):
        payload = (await api.data(CHANGE, wrong))["changePassword"]
        assert codes(payload) == [("currentPassword", "UNAUTHENTICATED")]
    # when the right one comes next, then it is refused until the window moves on
    right = {**wrong, "currentPassword": ADA["password"]}
    payload = (await api.data(CHANGE, right))["changePassword"]
    assert codes(payload) == [("currentPassword", "RATE_LIMITED")]
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'password_changed'") == 0
