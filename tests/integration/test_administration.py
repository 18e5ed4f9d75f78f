"""Administration over the API: admins list and filter users, deactivate them (their tokens stop
at once, the graph follows) and change their role (the graph's label follows)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_user
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver
    from sqlalchemy import Engine

    from config.settings import Settings
    from tests.support.api import Api

USERS = operation("Users")
ACTIVE = operation("SetUserActive")
ROLE = operation("SetUserRole")
REGISTER = operation("Register")
DASHBOARD = operation("Dashboard")


async def register(api: Api, username: str) -> str:
    account = {"username": username, "email": f"{username}@example.org", "password": PASSWORD}
    result = (await api.data(REGISTER, {"input": account}))["register"]
    return str(result["user"]["id"])


async def usernames(api: Api, filter: dict[str, Any] | None = None, **more: Any) -> list[str]:
    page = (await api.data(USERS, {"filter": filter, **more}))["users"]
    return [edge["node"]["username"] for edge in page["edges"]]


def graph_user(graph: Driver, settings: Settings, user_id: str) -> dict[str, Any] | None:
    found, _, _ = graph.execute_query(
        "MATCH (u:User {id: $id}) RETURN u.is_active AS active, labels(u) AS labels",
        id=user_id,
        database_=settings.neo4j_database,
    )
    return dict(found[0]) if found else None


async def test_an_admin_lists_and_filters_users(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    make_user(engine, "tess", role="teacher")
    make_user(engine, "zed")
    await api.sign_in("admin", "admin-password")
    everyone = (await api.data(USERS, {"first": 2}))["users"]
    assert everyone["totalCount"] == 4
    assert [e["node"]["username"] for e in everyone["edges"]] == ["ada", "admin"]
    assert everyone["pageInfo"]["hasNextPage"] is True
    node = everyone["edges"][0]["node"]
    assert (node["email"], node["isActive"], node["emailVerified"]) == (
        "ada@example.org",
        True,
        False,
    )
    assert await usernames(api, {"role": "TEACHER"}) == ["tess"]
    assert await usernames(api, {"search": "ZE"}) == ["zed"]
    assert await usernames(api, {"search": "%"}) == []
    assert await usernames(api, {"emailVerified": True}) == []
    assert await usernames(api, {"active": False}) == []


async def test_only_admins_list_users(api: Api, engine: Engine) -> None:
    body = await api.send(USERS, {})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    make_user(engine, "tess", role="teacher")
    await api.sign_in("tess", PASSWORD)
    body = await api.send(USERS, {})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_deactivating_a_user_stops_their_token_at_once_and_reaches_the_graph(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a registered student, signed in
    ada = await register(api, "ada")
    await api.sign_in("ada", PASSWORD)
    ada_token = api.token
    assert (await api.data(DASHBOARD))["me"]["username"] == "ada"
    # when an admin deactivates her
    await api.sign_in("admin", "admin-password")
    done = (await api.data(ACTIVE, {"id": ada, "active": False}))["setUserActive"]
    assert done["errors"] == []
    assert done["user"] == {"id": ada, "isActive": False}
    assert done["syncToken"]
    # then her token no longer signs her in, nor does her password
    api.token = ada_token
    refused = await api.send(DASHBOARD)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["UNAUTHENTICATED"]
    api.token = None
    login = await api.data(operation("Login"), {"username": "ada", "password": PASSWORD})
    assert login["login"]["token"] is None

    # and the graph's :User is inactive
    def inactive() -> bool:
        found = graph_user(graph, settings, ada)
        return found is not None and found["active"] is False

    assert eventually(inactive)
    # when the admin activates her again, then she can sign in
    await api.sign_in("admin", "admin-password")
    again = (await api.data(ACTIVE, {"id": ada, "active": True}))["setUserActive"]
    assert again["user"]["isActive"] is True
    await api.sign_in("ada", PASSWORD)


async def test_a_role_change_moves_the_graph_label(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    ada = await register(api, "ada")
    await api.sign_in("admin", "admin-password")
    changed = (await api.data(ROLE, {"id": ada, "role": "TEACHER"}))["setUserRole"]
    assert changed["errors"] == []
    assert changed["user"] == {"id": ada, "role": "TEACHER"}

    def teacher_label() -> list[str] | None:
        found = graph_user(graph, settings, ada)
        return found["labels"] if found and "Teacher" in found["labels"] else None

    assert "Student" not in eventually(teacher_label)


async def test_admin_changes_refuse_bad_input_and_non_admins(api: Api, engine: Engine) -> None:
    ada = str(make_user(engine, "ada"))
    await api.sign_in("ada", PASSWORD)
    refused = (await api.data(ROLE, {"id": ada, "role": "ADMIN"}))["setUserRole"]
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    refused = (await api.data(ACTIVE, {"id": ada, "active": False}))["setUserActive"]
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    await api.sign_in("admin", "admin-password")
    for bad in (str(uuid.uuid4()), "not-an-id"):
        missing = (await api.data(ACTIVE, {"id": bad, "active": False}))["setUserActive"]
        assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]
    admin_id = (await api.data(DASHBOARD))["me"]["id"]
    itself = (await api.data(ROLE, {"id": admin_id, "role": "STUDENT"}))["setUserRole"]
    assert [(e["field"], e["code"]) for e in itself["errors"]] == [("id", "FORBIDDEN")]
    unknown_role = await api.send(ROLE, {"id": ada, "role": "OWNER"})
    assert "errors" in unknown_role
    assert count(engine, "users", "role = 'student' AND is_active") == 1


async def test_a_bad_page_or_filter_of_users_is_named_and_answers_nothing(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "ada")
    await api.sign_in("admin", "admin-password")
    for variables, field in (
        ({"first": -1}, "first"),
        ({"after": "bm90LWEtY3Vyc29y"}, "after"),
        ({"filter": {"search": "a" * 201}}, "filter.search"),
    ):
        body = await api.send(USERS, variables)
        assert (body.get("data") or {}).get("users") is None, variables
        assert body["errors"][0]["extensions"]["field"] == field, body
    assert await usernames(api, first=100) == ["ada", "admin"]


async def test_a_refused_admin_change_writes_nothing(api: Api, engine: Engine) -> None:
    # given a student, and the admin signed in
    ada = str(make_user(engine, "ada"))
    await api.sign_in("admin", "admin-password")
    before = count(engine, "audit_log"), count(engine, "outbox_events")
    # when the admin sends a role that does not exist, or an id of nobody
    assert "errors" in await api.send(ROLE, {"id": ada, "role": "OWNER"})
    missing = (await api.data(ROLE, {"id": str(uuid.uuid4()), "role": "TEACHER"}))["setUserRole"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]
    assert missing["user"] is None
    assert missing["syncToken"] is None
    # then the user, the audit log and the outbox are as they were
    assert count(engine, "users", "role = 'student' AND is_active") == 1
    assert (count(engine, "audit_log"), count(engine, "outbox_events")) == before
