"""A bad token is refused (401), never taken as anonymous; revoked tokens stop working."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from sqlalchemy import Engine, text

from domain.roles import Role
from domain.security import Principal, hash_password, issue_token
from persistence.sql.principals import revoke_tokens
from schema.app import open_resources
from tests.support.waiting import eventually_async

if TYPE_CHECKING:
    import httpx

    from config.settings import Settings
    from tests.support.api import Api

ME = "query { me { username role } }"
CREATE = """
mutation($input: CreateConceptInput!) { createConcept(input: $input) { concept { id } errors { code } } }
"""
CONCEPT = {"input": {"name": "graphs", "displayName": "Graphs", "difficulty": "BEGINNER"}}


def _admin_id(engine: Engine) -> uuid.UUID:
    with engine.connect() as connection:
        found = connection.execute(text("SELECT id FROM users WHERE username = 'admin'"))
        return uuid.UUID(str(found.scalar_one()))


def _concepts(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM concepts")).scalar_one())


async def _post(api: Api, authorization: str, query: str = ME, **variables: Any) -> httpx.Response:
    return await api.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": authorization},
    )


def _refused_with(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert "data" not in body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def _forged(settings: Settings, engine: Engine, **claims: Any) -> str:
    base = {"sub": str(_admin_id(engine)), "role": "admin", "gen": 1, "exp": 4102444800}
    return jwt.encode({**base, **claims}, "someone-elses-secret-0123456789abcdef")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-token",
        "Bearer a.b.c",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4tcGFzc3dvcmQ=",
        "Token abc",
    ],
)
async def test_a_malformed_credential_is_refused_and_writes_nothing(
    api: Api, engine: Engine, authorization: str
) -> None:
    response = await _post(api, authorization, CREATE, **CONCEPT)
    assert _refused_with(response) == "UNAUTHENTICATED"
    assert _concepts(engine) == 0


async def test_a_token_signed_with_another_secret_is_refused(
    api: Api, engine: Engine, settings: Settings
) -> None:
    forged = _forged(settings, engine)
    response = await _post(api, f"Bearer {forged}", CREATE, **CONCEPT)
    assert _refused_with(response) == "UNAUTHENTICATED"
    assert _concepts(engine) == 0


async def test_an_expired_token_is_refused_as_expired(
    api: Api, engine: Engine, settings: Settings
) -> None:
    expired = issue_token(
        Principal(_admin_id(engine), Role.ADMIN),
        generation=1,
        secret=settings.token_secret.get_secret_value(),
        ttl_seconds=-1,
    )
    assert _refused_with(await _post(api, f"Bearer {expired}")) == "TOKEN_EXPIRED"


async def test_a_token_for_no_known_user_is_refused(api: Api, settings: Settings) -> None:
    stranger = issue_token(
        Principal(uuid.uuid4(), Role.ADMIN),
        generation=1,
        secret=settings.token_secret.get_secret_value(),
        ttl_seconds=60,
    )
    assert _refused_with(await _post(api, f"Bearer {stranger}")) == "UNAUTHENTICATED"


async def test_no_credentials_at_all_is_anonymous(api: Api) -> None:
    response = await api.client.post("/graphql", json={"query": ME})
    assert response.json() == {"data": {"me": None}}


async def _refusal(api: Api, token: str) -> str | None:
    response = await _post(api, f"Bearer {token}")
    return _refused_with(response) if response.status_code == 401 else None


async def _revoked(api: Api, token: str) -> str | None:
    return await eventually_async(lambda: _refusal(api, token), lambda code: code is not None)


PASSWORD_CHANGE = "UPDATE users SET password_hash = :hash WHERE username = 'admin'"


@pytest.mark.parametrize(
    ("change", "new_password"),
    [
        ("UPDATE users SET is_active = false WHERE username = 'admin'", None),
        ("UPDATE users SET role = 'teacher' WHERE username = 'admin'", "admin-password"),
        (PASSWORD_CHANGE, "a-new-admin-password"),
    ],
    ids=["deactivation", "role change", "password change"],
)
async def test_a_change_to_the_account_revokes_its_tokens_at_once(
    api: Api, engine: Engine, change: str, new_password: str | None
) -> None:
    # given a signed-in admin whose token works
    token = await api.sign_in("admin", "admin-password")
    assert (await api.data(ME))["me"]["username"] == "admin"
    # when the account changes, whatever writes it
    with engine.begin() as connection:
        connection.execute(text(change), {"hash": hash_password("a-new-admin-password")})
    # then the token is refused, and a new sign-in (where allowed) works again
    assert await _revoked(api, token) == "UNAUTHENTICATED"
    if new_password is not None:
        api.token = None
        await api.sign_in("admin", new_password)
        assert (await api.data(ME))["me"]["username"] == "admin"


async def test_an_unrelated_change_leaves_tokens_alone(api: Api, engine: Engine) -> None:
    token = await api.sign_in("admin", "admin-password")
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET last_login_at = now() WHERE username = 'admin'"))
    assert await _refusal(api, token) is None


async def test_revoking_a_users_tokens_refuses_every_one_of_them(
    api: Api, engine: Engine, settings: Settings
) -> None:
    # given two sessions of the admin
    first = await api.sign_in("admin", "admin-password")
    second = await api.sign_in("admin", "admin-password")
    # when their tokens are revoked (sign-out everywhere)
    resources = open_resources(settings)
    try:
        async with resources.sessions.begin() as session:
            await revoke_tokens(session, user_id=_admin_id(engine))
    finally:
        await resources.driver.close()
        await resources.engine.dispose()
    # then both are refused, and a new sign-in works
    assert await _revoked(api, first) == "UNAUTHENTICATED"
    assert await _revoked(api, second) == "UNAUTHENTICATED"
    api.token = None
    await api.sign_in("admin", "admin-password")
    assert (await api.data(ME))["me"]["username"] == "admin"
