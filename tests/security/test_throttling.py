"""Sign-ins and registrations are throttled in sliding windows, in Redis or, without it, in memory."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.waiting import eventually_async

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette

    from config.settings import Settings

LOGIN = """
mutation($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    token errors { field message code retryAfter }
  }
}
"""
REGISTER = """
mutation($input: RegisterInput!) {
  register(input: $input) { token errors { field code retryAfter } }
}
"""


@contextlib.asynccontextmanager
async def _app(settings: Settings, **changes: Any) -> AsyncIterator[Starlette]:
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def _client(app: Starlette, address: str = "127.0.0.1") -> AsyncIterator[Api]:
    async with in_process_client(app, client=(address, 40000)) as client:
        yield Api(client)


async def _login(api: Api, username: str, password: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.data(LOGIN, {"username": username, "password": password}))[
        "login"
    ]
    return result


def _code(result: dict[str, Any]) -> str | None:
    return result["errors"][0]["code"] if result["errors"] else None


async def test_failed_sign_ins_are_refused_with_the_seconds_to_wait(settings: Settings) -> None:
    async with _app(settings, throttle_max_failures=3) as app, _client(app) as api:
        # given three wrong passwords for the admin from one address
        for _ in range(3):
            assert _code(await _login(api, "admin", "wrong-password")) == "UNAUTHENTICATED"
        # when even the right password is tried next
        response = await api.client.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"username": "admin", "password": "admin-password"}},
        )
        refused = response.json()["data"]["login"]
        # then it is refused with the seconds to wait, in the error and in Retry-After
        [error] = refused["errors"]
        assert refused["token"] is None
        assert error["code"] == "RATE_LIMITED"
        assert error["field"] == "username"
        assert 0 < error["retryAfter"] <= settings.throttle_window_seconds
        assert f"{error['retryAfter']} seconds" in error["message"]
        assert int(response.headers["retry-after"]) == error["retryAfter"]
        # and another account from the same address is not affected
        assert _code(await _login(api, "nobody", "wrong-password")) == "UNAUTHENTICATED"


async def test_a_success_clears_the_accounts_failures(settings: Settings) -> None:
    async with _app(settings, throttle_max_failures=3) as app, _client(app) as api:
        for _ in range(2):
            await _login(api, "admin", "wrong-password")
        assert (await _login(api, "admin", "admin-password"))["token"]
        for _ in range(2):
            assert _code(await _login(api, "admin", "wrong-password")) == "UNAUTHENTICATED"
        assert (await _login(api, "admin", "admin-password"))["token"]


async def test_sign_in_works_again_once_the_window_has_passed(settings: Settings) -> None:
    changes = {"throttle_max_failures": 2, "throttle_window_seconds": 2}
    async with _app(settings, **changes) as app, _client(app) as api:
        for _ in range(2):
            await _login(api, "admin", "wrong-password")
        assert _code(await _login(api, "admin", "admin-password")) == "RATE_LIMITED"
        # then, without any lockout beyond the window, the right password works again
        signed_in = await eventually_async(
            lambda: _login(api, "admin", "admin-password"),
            lambda result: result["token"] is not None,
            within=10,
            interval=0.25,
        )
    assert signed_in["errors"] == []


async def test_one_account_attacked_from_many_addresses_is_throttled(settings: Settings) -> None:
    async with _app(settings, throttle_max_failures=5, throttle_max_failures_per_subject=4) as app:
        for address in ("10.0.0.1", "10.0.0.2"):
            async with _client(app, address) as api:
                for _ in range(2):
                    assert _code(await _login(api, "admin", "wrong")) == "UNAUTHENTICATED"
        async with _client(app, "10.0.0.3") as api:
            assert _code(await _login(api, "admin", "admin-password")) == "RATE_LIMITED"


async def test_one_address_trying_many_accounts_is_throttled(settings: Settings) -> None:
    async with _app(settings, throttle_max_failures_per_address=3) as app:
        async with _client(app, "10.0.0.9") as api:
            for username in ("ann", "ben", "cid"):
                assert _code(await _login(api, username, "wrong")) == "UNAUTHENTICATED"
            assert _code(await _login(api, "dee", "wrong")) == "RATE_LIMITED"
        async with _client(app, "10.0.0.10") as other:
            assert (await _login(other, "admin", "admin-password"))["token"]


def _users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM users")).scalar_one())


async def test_registrations_per_address_are_throttled_and_write_nothing_when_refused(
    settings: Settings, engine: Engine
) -> None:
    async with _app(settings, throttle_max_failures_per_address=2) as app, _client(app) as api:
        answers = []
        for name in ("ann", "ben", "cid"):
            account = {"username": name, "email": f"{name}@example.org", "password": "pass-word-1"}
            answers.append((await api.data(REGISTER, {"input": account}))["register"])
    assert [_code(answer) for answer in answers] == [None, None, "RATE_LIMITED"]
    assert _users(engine) == 3  # the admin and two learners


async def test_without_redis_each_process_still_throttles_in_memory(settings: Settings) -> None:
    # given an API whose Redis does not answer
    async with (
        _app(settings, redis_url="redis://127.0.0.1:1/0", throttle_max_failures=2) as app,
        _client(app) as api,
    ):
        # then sign-ins still work, and failures are still limited
        assert (await _login(api, "admin", "admin-password"))["token"]
        for _ in range(2):
            assert _code(await _login(api, "admin", "wrong-password")) == "UNAUTHENTICATED"
        assert _code(await _login(api, "admin", "admin-password")) == "RATE_LIMITED"
