"""The token check reads a user once, then trusts its cache until PostgreSQL says they changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, TextClause, event, text

from schema.app import create_app
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.waiting import eventually_async

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from starlette.applications import Starlette

    from config.settings import Settings

ME = "query { me { id role } }"
ADMIN = ("admin", "admin-password")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def admin(app: Starlette) -> AsyncIterator[Api]:
    async with in_process_client(app) as client:
        api = Api(client)
        await api.sign_in(*ADMIN)
        yield api


@pytest.fixture
def user_reads(app: Starlette) -> Iterator[list[str]]:
    """The token checks the app sends to the database (an active user's role, generation and sign-in)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT users.role, users.token_generation"):
            seen.append(statement)

    engine = app.state.resources.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


DEACTIVATE = text("UPDATE users SET is_active = false WHERE username = 'admin'")
DEMOTE = text("UPDATE users SET role = 'student' WHERE username = 'admin'")


def _change(engine: Engine, statement: TextClause) -> None:
    with engine.begin() as connection:
        connection.execute(statement)


async def _me(api: Api) -> dict[str, Any] | None:
    me: dict[str, Any] | None = (await api.data(ME))["me"]
    return me


async def test_a_token_is_checked_against_the_database_once_while_its_user_is_unchanged(
    admin: Api, user_reads: list[str]
) -> None:
    # when the same token is sent five times
    answers = [await _me(admin) for _ in range(5)]
    # then every request knows the admin, and only the first one read the users table
    assert all(me is not None and me["role"] == "ADMIN" for me in answers)
    assert len(user_reads) == 1


async def _refusal(api: Api) -> str | None:
    """The error code a request with the api's token is refused with, None if it is served."""
    response = await api.client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {api.token}"}
    )
    if response.status_code != 401:
        return None
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


async def test_a_cached_token_stops_working_as_soon_as_its_user_is_deactivated(
    admin: Api, engine: Engine
) -> None:
    # given a token the check has cached
    assert await _me(admin) is not None
    # when the user is deactivated behind the API's back
    _change(engine, DEACTIVATE)
    # then the token is refused
    refused = await eventually_async(
        lambda: _refusal(admin), lambda code: code is not None, within=2
    )
    assert refused == "UNAUTHENTICATED"


async def test_a_cached_token_is_revoked_once_its_users_role_changes(
    admin: Api, engine: Engine
) -> None:
    # given a token the check has cached, of an admin
    assert (await _me(admin) or {}).get("role") == "ADMIN"
    # when the admin is made a student
    _change(engine, DEMOTE)
    # then the old token is refused, and a new sign-in carries the new role
    refused = await eventually_async(
        lambda: _refusal(admin), lambda code: code is not None, within=2
    )
    assert refused == "UNAUTHENTICATED"
    admin.token = None
    await admin.sign_in(*ADMIN)
    assert (await _me(admin) or {}).get("role") == "STUDENT"


def _cut_listener(engine: Engine) -> None:
    """The server ends this process's listening connection."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN learngraph_principal_changes%' AND datname = current_database()"
            )
        )


async def _caching(app: Starlette, wanted: bool) -> None:
    principals = app.state.resources.principals

    async def caching() -> bool:
        return bool(principals.caching)

    await eventually_async(caching, lambda on: on is wanted, within=10)


async def test_nothing_is_cached_while_the_change_listener_is_down(
    app: Starlette, admin: Api, engine: Engine, user_reads: list[str]
) -> None:
    # given the listening connection of this process cut by the server
    _cut_listener(engine)
    await _caching(app, False)
    # when the token is sent three times
    for _ in range(3):
        assert await _me(admin) is not None
    # then each request checked the token in the database
    assert len(user_reads) == 3


async def test_after_the_listener_is_cut_new_connections_work_and_it_listens_again(
    app: Starlette, admin: Api, engine: Engine
) -> None:
    # given the listening connection cut, and the process no longer caching
    _cut_listener(engine)
    await _caching(app, False)
    # when a request needs a new connection (which takes the cut one's socket number)
    await app.state.resources.engine.dispose()
    # then it is served, and the listener connects again
    assert await _me(admin) is not None
    await _caching(app, True)
