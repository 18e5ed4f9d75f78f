"""Sign-ins: short-lived access tokens, single-use rotated refresh tokens, signing out."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.contract import operation

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from config.settings import Settings

LOGIN = operation("LoginWithRefresh")
REFRESH = operation("RefreshToken")
LOGOUT = operation("Logout")
ME = "query { me { id username } }"
ADMIN = {"username": "admin", "password": "admin-password"}


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql), params).mappings()]


async def login(api: Api) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(LOGIN, ADMIN))["login"]
    assert payload["errors"] == [], payload["errors"]
    return payload


async def refresh(api: Api, refresh_token: str) -> dict[str, Any]:
    api.token = None
    payload: dict[str, Any] = (await api.data(REFRESH, {"refreshToken": refresh_token}))[
        "refreshToken"
    ]
    return payload


async def me_with(api: Api, token: str) -> dict[str, Any]:
    api.token = token
    return await api.send(ME)


def refused(body: dict[str, Any]) -> bool:
    return bool(body.get("errors")) and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def audit_actions(engine: Engine) -> list[str]:
    return [row["action"] for row in rows(engine, "SELECT action FROM audit_log ORDER BY id")]


async def test_login_hands_out_a_short_lived_token_and_a_refresh_token_stored_only_as_a_hash(
    api: Api, engine: Engine, settings: Settings
) -> None:
    # when the admin signs in
    payload = await login(api)
    # then the access token expires after TOKEN_TTL_SECONDS
    expires_at = datetime.fromisoformat(payload["expiresAt"])
    expected = datetime.now(UTC) + timedelta(seconds=settings.token_ttl_seconds)
    assert abs((expires_at - expected).total_seconds()) < 60
    assert payload["user"]["username"] == "admin"
    # and the refresh token is stored as its SHA-256 only
    stored = rows(engine, "SELECT * FROM auth_tokens WHERE kind = 'refresh'")
    assert len(stored) == 1
    secret = payload["refreshToken"]
    assert stored[0]["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored[0])
    assert stored[0]["expires_at"] > datetime.now(UTC) + timedelta(days=29)


async def test_a_refresh_rotates_the_refresh_token_and_gives_a_working_access_token(
    api: Api, engine: Engine
) -> None:
    # given a sign-in
    first = await login(api)
    # when its refresh token is traded
    second = await refresh(api, first["refreshToken"])
    # then a new access token and a new refresh token come back, and the new token works
    assert second["errors"] == []
    assert second["refreshToken"] != first["refreshToken"]
    body = await me_with(api, second["token"])
    assert body["data"]["me"]["username"] == "admin"
    # and the next refresh works with the new refresh token
    third = await refresh(api, second["refreshToken"])
    assert third["errors"] == []
    assert audit_actions(engine).count("token_refreshed") == 2


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_sign_in(
    api: Api, engine: Engine
) -> None:
    # given a sign-in refreshed once, and a second sign-in of the same user
    first = await login(api)
    other = await login(api)
    second = await refresh(api, first["refreshToken"])
    # when the first (already used) refresh token comes back
    reused = await refresh(api, first["refreshToken"])
    # then it is refused, and the sign-in's newest refresh and access tokens stop working
    assert codes(reused) == [("refreshToken", "TOKEN_INVALID")]
    assert codes(await refresh(api, second["refreshToken"])) == [("refreshToken", "TOKEN_INVALID")]
    assert refused(await me_with(api, second["token"]))
    assert refused(await me_with(api, first["token"]))
    # while the other sign-in goes on
    assert (await me_with(api, other["token"]))["data"]["me"]["username"] == "admin"
    assert (await refresh(api, other["refreshToken"]))["errors"] == []
    assert "refresh_reuse_detected" in audit_actions(engine)


async def test_an_expired_refresh_token_is_refused_as_expired(api: Api, engine: Engine) -> None:
    # given a sign-in whose refresh token expired
    first = await login(api)
    with engine.begin() as connection:
        connection.execute(text("UPDATE auth_tokens SET expires_at = now() - interval '1 second'"))
    # when it is traded, then it is refused as expired
    assert codes(await refresh(api, first["refreshToken"])) == [("refreshToken", "TOKEN_EXPIRED")]


@pytest.mark.parametrize(
    ("token", "code"),
    [("", "VALIDATION"), ("x" * 201, "VALIDATION"), ("no-such-token", "TOKEN_INVALID")],
)
async def test_a_bad_refresh_token_is_refused_naming_the_field_and_writes_nothing(
    api: Api, engine: Engine, token: str, code: str
) -> None:
    before = rows(engine, "SELECT count(*) AS n FROM auth_tokens")
    payload = await refresh(api, token)
    assert codes(payload) == [("refreshToken", code)]
    assert payload["token"] is None
    assert rows(engine, "SELECT count(*) AS n FROM auth_tokens") == before


async def test_logout_ends_this_sign_in_only(api: Api, engine: Engine) -> None:
    # given two sign-ins of the admin
    first = await login(api)
    other = await login(api)
    # when the first signs out
    api.token = first["token"]
    payload = (await api.data(LOGOUT, {}))["logout"]
    # then its access and refresh tokens stop working, the other sign-in's do not
    assert payload == {"revoked": True, "errors": []}
    assert refused(await me_with(api, first["token"]))
    assert codes(await refresh(api, first["refreshToken"])) == [("refreshToken", "TOKEN_INVALID")]
    assert (await me_with(api, other["token"]))["data"]["me"]["username"] == "admin"
    assert (await refresh(api, other["refreshToken"]))["errors"] == []
    assert "logout" in audit_actions(engine)


async def test_logout_from_all_sessions_ends_every_sign_in(api: Api) -> None:
    first = await login(api)
    other = await login(api)
    api.token = first["token"]
    payload = (await api.data(LOGOUT, {"allSessions": True}))["logout"]
    assert payload == {"revoked": True, "errors": []}
    for signed_in in (first, other):
        assert refused(await me_with(api, signed_in["token"]))
        assert codes(await refresh(api, signed_in["refreshToken"])) == [
            ("refreshToken", "TOKEN_INVALID")
        ]


async def test_logout_without_a_sign_in_is_refused_and_writes_nothing(
    api: Api, engine: Engine
) -> None:
    payload = (await api.data(LOGOUT, {"allSessions": True}))["logout"]
    assert codes(payload) == [(None, "UNAUTHENTICATED")]
    assert rows(engine, "SELECT count(*) AS n FROM audit_log")[0]["n"] == 0


@pytest.fixture
async def strict_api(settings: Settings) -> AsyncIterator[Api]:
    """The API allowing 3 failures per client address in a window."""
    app = create_app(settings.model_copy(update={"throttle_max_failures_per_address": 3}))
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Api(client)


async def test_guessing_refresh_tokens_is_throttled(strict_api: Api) -> None:
    # given three wrong refresh tokens from one address
    for attempt in range(3):
        assert codes(await refresh(strict_api, f"guess-{attempt}")) == [
            ("refreshToken", "TOKEN_INVALID")
        ]
    # when a fourth comes, then it is refused with the seconds to wait
    payload = await refresh(strict_api, "guess-3")
    assert codes(payload) == [("refreshToken", "RATE_LIMITED")]
    assert payload["errors"][0]["message"].startswith("too many attempts")


async def test_two_concurrent_uses_of_one_refresh_token_let_one_through_and_end_the_sign_in(
    api: Api, engine: Engine
) -> None:
    # given a sign-in
    first = await login(api)
    # when its refresh token is sent twice at the same time
    answers = await asyncio.gather(
        refresh(api, first["refreshToken"]), refresh(api, first["refreshToken"])
    )
    # then one of them got new tokens, the other was refused as a reuse
    assert sorted(len(answer["errors"]) for answer in answers) == [0, 1]
    (winner,) = [answer for answer in answers if not answer["errors"]]
    # and the sign-in is over, the winner's tokens included
    assert codes(await refresh(api, winner["refreshToken"])) == [("refreshToken", "TOKEN_INVALID")]
    assert refused(await me_with(api, winner["token"]))
    assert "refresh_reuse_detected" in audit_actions(engine)
