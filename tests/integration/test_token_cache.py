"""The token check reads a user once, then trusts its cache until PostgreSQL says they changed."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, TextClause, event, text

from persistence.sql.database import make_async_engine
from persistence.sql.models import User
from persistence.sql.principals import PrincipalDirectory, TokenSubject, revoke_tokens
from persistence.sql.unit_of_work import UnitOfWork
from schema.app import create_app
from tasks.publish import OutboxPublisher
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.waiting import eventually_async

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
    from starlette.applications import Starlette

    from config.settings import Settings

ME = "query { me { id role } }"
ADMIN = ("admin", "admin-password")
_NOBODY = TokenSubject(role="", token_generation=-1)


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


@pytest.fixture
async def deaf_directory(settings: Settings) -> AsyncIterator[PrincipalDirectory]:
    """A directory that caches as if it were listening, but that no notification reaches: as
    every process is in the moment between a commit and its notification's arrival."""
    async_engine = make_async_engine(settings.database_url, pool_size=2)
    directory = PrincipalDirectory(async_engine, seconds=30)
    directory.listening(True)
    yield directory
    await async_engine.dispose()


def _admin_id(engine: Engine) -> uuid.UUID:
    with engine.connect() as connection:
        found = connection.scalar(text("SELECT id FROM users WHERE username = 'admin'"))
    assert isinstance(found, uuid.UUID)
    return found


async def _generation(directory: PrincipalDirectory, user_id: uuid.UUID) -> int:
    subject = await directory.subject(user_id=user_id)
    assert subject is not None
    return subject.token_generation


async def test_a_sign_out_everywhere_this_process_commits_is_not_answered_from_its_cache(
    deaf_directory: PrincipalDirectory,
    sessions: async_sessionmaker[AsyncSession],
    engine: Engine,
) -> None:
    # given the admin's token subject cached, and no notification arriving
    admin = _admin_id(engine)
    before = await _generation(deaf_directory, admin)
    # when this process revokes every token of theirs (a statement on users)
    async with UnitOfWork(sessions, OutboxPublisher(sessions, send=lambda ids: None)) as uow:
        await revoke_tokens(uow.session, user_id=admin)
        await uow.commit()
    # then the next check reads the new generation: the old tokens stop at once
    assert await _generation(deaf_directory, admin) == before + 1


async def test_a_role_change_this_process_flushes_is_not_answered_from_its_cache(
    deaf_directory: PrincipalDirectory,
    sessions: async_sessionmaker[AsyncSession],
    engine: Engine,
) -> None:
    # given the admin's token subject cached, and no notification arriving
    admin = _admin_id(engine)
    assert (await deaf_directory.subject(user_id=admin) or _NOBODY).role == "admin"
    # when this process makes them a student through the unit of work (a flushed row)
    async with UnitOfWork(sessions, OutboxPublisher(sessions, send=lambda ids: None)) as uow:
        user = await uow.session.get(User, admin)
        assert user is not None
        user.role = "student"
        await uow.commit()
    # then the next check sees the new role
    assert (await deaf_directory.subject(user_id=admin) or _NOBODY).role == "student"
