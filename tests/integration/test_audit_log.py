"""The audit log: every write by a teacher or an admin and every sign-in leaves one entry in the
write's own transaction; admins read it filtered, in pages; nobody can change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from persistence.sql.audit import purge_expired_entries
from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_user, scalar

if TYPE_CHECKING:
    from tests.support.api import Api

AUDIT = operation("AuditLog")
LOGIN = operation("Login")
CREATE = operation("CreateConcept")


async def entries(api: Api, filter: dict[str, object] | None = None, **more: object) -> dict:  # type: ignore[type-arg]
    result: dict = (await api.data(AUDIT, {"filter": filter, **more}))["auditLog"]  # type: ignore[type-arg]
    return result


async def test_a_teachers_write_and_sign_ins_leave_entries(api: Api, engine: Engine) -> None:
    # given a teacher who fails to sign in once, then signs in and creates a concept
    tess = str(make_user(engine, "tess", role="teacher"))
    failed = await api.data(LOGIN, {"username": "tess", "password": "wrong-password"})
    assert failed["login"]["token"] is None
    await api.sign_in("tess", PASSWORD)
    concept = {"name": "sets", "displayName": "Sets", "difficulty": "BEGINNER"}
    made = (await api.data(CREATE, {"input": concept}))["createConcept"]["concept"]
    # and a student who records progress (students' writes are not audited)
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    given = {"conceptId": made["id"], "status": "IN_PROGRESS", "progressPercent": 10}
    await api.data(operation("RecordProgress"), {"input": given})
    # when an admin reads the log for the teacher
    await api.sign_in("admin", "admin-password")
    log = await entries(api, {"actorId": tess})
    # then it holds her failed login, her login and her write, newest first
    nodes = [edge["node"] for edge in log["edges"]]
    assert [node["action"] for node in nodes] == ["createConcept", "login", "login_failed"]
    assert nodes[0]["actor"] == {"id": tess, "username": "tess"}
    assert (nodes[0]["targetType"], nodes[0]["targetId"]) == ("concept", made["id"])
    assert nodes[0]["details"] == {"events": 1}
    assert nodes[2]["details"] == {"username": "tess"}
    assert all(node["requestId"] for node in nodes)
    assert log["totalCount"] == 3
    everything = await entries(api)
    assert "recordProgress" not in [edge["node"]["action"] for edge in everything["edges"]]


async def test_an_unknown_name_failing_to_sign_in_is_logged_without_an_actor(
    api: Api, engine: Engine
) -> None:
    await api.data(LOGIN, {"username": "nobody", "password": "whatever-password"})
    await api.sign_in("admin", "admin-password")
    log = await entries(api, {"action": "login_failed"})
    assert [(e["node"]["actor"], e["node"]["details"]) for e in log["edges"]] == [
        (None, {"username": "nobody"})
    ]


async def test_a_failed_write_leaves_no_entry(api: Api, engine: Engine) -> None:
    make_user(engine, "tess", role="teacher")
    await api.sign_in("tess", PASSWORD)
    bad = {"name": "Not Snake", "displayName": "x", "difficulty": "BEGINNER"}
    assert (await api.data(CREATE, {"input": bad}))["createConcept"]["errors"]
    assert count(engine, "audit_log", "action = 'createConcept'") == 0


async def test_the_log_comes_in_pages_and_filters(api: Api, engine: Engine) -> None:
    make_user(engine, "tess", role="teacher")
    for _ in range(3):
        await api.sign_in("tess", PASSWORD)
    await api.sign_in("admin", "admin-password")
    first = await entries(api, {"action": "login", "targetType": "user"}, first=2)
    assert first["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await entries(api, {"action": "login"}, first=2, after=first["pageInfo"]["endCursor"])
    assert rest["pageInfo"]["hasNextPage"] is False
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(ids)) == 4
    assert ids == sorted(ids, key=int, reverse=True)
    later = await entries(api, {"since": "2999-01-01T00:00:00Z"})
    assert later["totalCount"] == 0


async def test_only_admins_read_the_log_and_bad_filters_are_named(api: Api, engine: Engine) -> None:
    body = await api.send(AUDIT, {})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    make_user(engine, "tess", role="teacher")
    await api.sign_in("tess", PASSWORD)
    body = await api.send(AUDIT, {})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    await api.sign_in("admin", "admin-password")
    for filter, field in (
        ({"actorId": "x"}, "actorId"),
        ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "until"),
        ({"action": "a" * 201}, "action"),
    ):
        body = await api.send(AUDIT, {"filter": filter})
        assert body["errors"][0]["extensions"]["field"] == field
    body = await api.send(AUDIT, {"after": "bm90LWEtY3Vyc29y"})
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_entries_cannot_be_changed_and_only_the_purge_deletes_old_ones(
    api: Api, engine: Engine
) -> None:
    await api.sign_in("admin", "admin-password")
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO audit_log (at, action) VALUES (now() - interval '400 days', 'old')")
        )
    with Session(engine) as session, session.begin():
        assert purge_expired_entries(session, retention_days=365) == 1
    assert count(engine, "audit_log", "action = 'old'") == 0
    assert count(engine, "audit_log", "action = 'login'") == 1


async def test_operators_actions_are_logged_with_what_they_touched(
    api: Api, engine: Engine
) -> None:
    # given an admin who retries the dead events (there are none) and starts a reconciliation
    await api.sign_in("admin", "admin-password")
    retried = await api.data(operation("RetrySyncEvents"), {})
    assert retried["retrySyncEvents"]["errors"] == []
    given = {"entityTypes": ["concept"], "repair": False}
    run = (await api.data(operation("RunReconciliation"), given))["runReconciliation"]["run"]
    # and one whose ids are refused
    refused = await api.data(operation("RetrySyncEvents"), {"ids": ["not-an-id"]})
    assert refused["retrySyncEvents"]["errors"]
    # then the log holds both actions, with their target and details, and not the refused one
    log = await entries(api, {"actorId": str(scalar(engine, "SELECT id FROM users"))})
    nodes = [edge["node"] for edge in log["edges"]]
    assert [(n["action"], n["targetType"], n["targetId"], n["details"]) for n in nodes[:2]] == [
        (
            "runReconciliation",
            "reconciliation_run",
            run["id"],
            {"entity_types": ["concept"], "repair": False},
        ),
        ("retrySyncEvents", None, None, {"events": 0, "all_dead": True}),
    ]
    assert [n["action"] for n in nodes[2:]] == ["login"]
