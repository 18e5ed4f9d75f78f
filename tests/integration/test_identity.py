"""Accounts over GraphQL: register, sign in, the caller's account, profile and preferences."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from tests.support.api import Api

REGISTER = operation("Register")

LOGIN = operation("Login")

UPDATE_PROFILE = operation("UpdateProfile")

UPDATE_PREFERENCES = operation("UpdatePreferences")

# the identity part of the contract's Dashboard query
DASHBOARD = """
query Dashboard {
  me {
    id
    username
    role
    profile { firstName lastName timezone }
    preferences { dailyGoalMinutes preferredDifficulty darkMode }
  }
}
"""

USER = """
query User($id: ID!) {
  user(id: $id) { id username email profile { firstName } preferences { darkMode } }
}
"""

ADA = {
    "username": "ada",
    "email": "ada@example.org",
    "password": "correct horse",
    "firstName": "Ada",
    "lastName": "Lovelace",
}
IDENTITY_TABLES = ("users", "profiles", "learning_preferences", "outbox_events")


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def row(engine: Engine, sql: str, **params: Any) -> dict[str, Any]:
    with engine.connect() as connection:
        return dict(connection.execute(text(sql), params).mappings().one())


def counts(engine: Engine) -> dict[str, int]:
    sql = "SELECT count(*) FROM {}"  # the table names are the constants above, never input
    return {table: scalar(engine, sql.format(table)) for table in IDENTITY_TABLES}


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def register(api: Api, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(REGISTER, {"input": {**ADA, **changes}}))["register"]
    return payload


async def test_a_new_learner_registers_and_gets_a_token_a_profile_and_a_user_created_event(
    api: Api, engine: Engine
) -> None:
    # when Ada registers without choosing a role
    payload = await register(api)
    # then she is a student, sees her own email and names, and her token signs her in
    assert payload["errors"] == []
    user = payload["user"]
    assert (user["username"], user["email"], user["role"]) == ("ada", "ada@example.org", "STUDENT")
    assert user["profile"] == {"firstName": "Ada", "lastName": "Lovelace"}
    api.token = payload["token"]
    assert (await api.data(DASHBOARD))["me"]["id"] == user["id"]
    # and SQL holds an argon2 hash, version 1, default preferences and one user_created event
    stored = row(engine, "SELECT password_hash, version FROM users WHERE id = :id", id=user["id"])
    assert stored["password_hash"].startswith("$argon2")
    assert stored["version"] == 1
    preferences = row(
        engine, "SELECT * FROM learning_preferences WHERE user_id = :id", id=user["id"]
    )
    assert (preferences["daily_goal_minutes"], preferences["preferred_difficulty"]) == (
        30,
        "beginner",
    )
    event = row(
        engine,
        "SELECT event_type, entity_type, source_version FROM outbox_events WHERE entity_id = :id",
        id=user["id"],
    )
    assert event == {"event_type": "user_created", "entity_type": "user", "source_version": 1}


async def test_a_teacher_may_register_but_nobody_may_make_themself_admin(
    api: Api, engine: Engine
) -> None:
    # given the stores before any registration
    before = counts(engine)
    # when someone asks for ADMIN
    refused = await register(api, role="ADMIN")
    # then it is FORBIDDEN on role and nothing is written
    assert refused["user"] is None
    assert refused["token"] is None
    assert codes(refused) == [("role", "FORBIDDEN")]
    assert counts(engine) == before
    # when a teacher registers, then the role is kept
    teacher = await register(api, username="grace", email="grace@example.org", role="TEACHER")
    assert teacher["user"]["role"] == "TEACHER"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 51}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a" * 250 + "@x.org"}, "email"),
        ({"email": "<ada>@example.org"}, "email"),
        ({"email": '"ada"@example.org'}, "email"),
        ({"email": "ada,eve@example.org"}, "email"),
        ({"email": "ada\x07@example.org"}, "email"),
        ({"email": "ada..lovelace@example.org"}, "email"),
        ({"email": "ada@localhost"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"password": " " * 12}, "password"),
        ({"password": "\u200b" * 12}, "password"),
        ({"firstName": "f" * 101}, "firstName"),
    ],
)
async def test_bad_registration_input_names_the_field_and_writes_nothing(
    api: Api, engine: Engine, changes: dict[str, str], field: str
) -> None:
    before = counts(engine)
    payload = await register(api, **changes)
    assert payload["user"] is None
    assert codes(payload) == [(field, "VALIDATION")]
    assert counts(engine) == before


async def test_a_username_or_email_taken_in_another_case_is_a_duplicate(
    api: Api, engine: Engine
) -> None:
    # given Ada registered
    await register(api)
    before = counts(engine)
    # when the same names come back in capitals
    same_name = await register(api, username="ADA", email="other@example.org")
    same_email = await register(api, username="ada2", email="ADA@Example.org")
    # then each is a DUPLICATE on its field and nothing is written
    assert codes(same_name) == [("username", "DUPLICATE")]
    assert codes(same_email) == [("email", "DUPLICATE")]
    assert counts(engine) == before


async def test_a_registration_racing_an_uncommitted_duplicate_is_refused_as_duplicate(
    api: Api, engine: Engine
) -> None:
    # given another transaction that has inserted "ada" but not yet committed
    with engine.connect() as rival:
        rival.execute(
            text(
                "INSERT INTO users (id, username, email, password_hash, role, is_active, version)"
                " VALUES (gen_random_uuid(), 'Ada', 'rival@example.org', 'x', 'student', true, 1)"
            )
        )
        # when Ada registers (her insert waits on the unique index) and the rival then commits
        registering = asyncio.create_task(api.data(REGISTER, {"input": ADA}))
        await asyncio.to_thread(commit_once_a_backend_waits, engine, rival)
        payload = (await registering)["register"]
    # then the unique violation comes back as DUPLICATE on username, not as a crash
    assert codes(payload) == [("username", "DUPLICATE")]
    assert scalar(engine, "SELECT count(*) FROM profiles") == 1  # the bootstrap admin's only


def commit_once_a_backend_waits(engine: Engine, rival: Any) -> None:
    waiting = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    eventually(lambda: scalar(engine, waiting) > 0)
    rival.commit()


async def test_a_user_signs_in_with_any_case_of_the_username(api: Api) -> None:
    await register(api)
    payload = (await api.data(LOGIN, {"username": "ADA", "password": "correct horse"}))["login"]
    assert payload["errors"] == []
    assert payload["token"]
    assert payload["user"]["username"] == "ada"


@pytest.mark.parametrize(
    ("username", "password", "deactivate"),
    [
        ("ada", "wrong horse", False),
        ("nobody", "correct horse", False),
        ("ada", "correct horse", True),
    ],
    ids=["wrong password", "unknown user", "inactive user"],
)
async def test_a_failed_sign_in_is_unauthenticated_without_saying_what_was_wrong(
    api: Api, engine: Engine, username: str, password: str, deactivate: bool
) -> None:
    # given Ada, maybe deactivated
    await register(api)
    if deactivate:
        with engine.begin() as connection:
            connection.execute(text("UPDATE users SET is_active = false"))
    # when signing in goes wrong
    payload = (await api.data(LOGIN, {"username": username, "password": password}))["login"]
    # then every failure reads the same
    assert payload["token"] is None
    assert payload["user"] is None
    assert payload["errors"] == [
        {"field": "password", "message": "wrong username or password", "code": "UNAUTHENTICATED"}
    ]


async def test_me_is_null_for_a_visitor_and_the_dashboard_identity_for_a_learner(
    api: Api,
) -> None:
    assert (await api.data(DASHBOARD))["me"] is None
    api.token = (await register(api))["token"]
    me = (await api.data(DASHBOARD))["me"]
    assert (me["username"], me["role"]) == ("ada", "STUDENT")
    assert me["profile"] == {"firstName": "Ada", "lastName": "Lovelace", "timezone": "UTC"}
    assert me["preferences"] == {
        "dailyGoalMinutes": 30,
        "preferredDifficulty": "BEGINNER",
        "darkMode": False,
    }


async def test_a_learner_cannot_look_up_another_learner_and_an_admin_sees_everything(
    api: Api,
) -> None:
    # given Ada and Bob
    ada = await register(api)
    bob = await register(api, username="bob", email="bob@example.org")
    bob_id = {"id": bob["user"]["id"]}
    # when a visitor or Ada asks for Bob, or anyone asks for a malformed id, then null
    assert (await api.data(USER, bob_id))["user"] is None
    api.token = ada["token"]
    assert (await api.data(USER, bob_id))["user"] is None
    assert (await api.data(USER, {"id": "not-a-uuid"}))["user"] is None
    # when Bob asks for himself or an admin asks, then email and preferences show
    api.token = bob["token"]
    assert (await api.data(USER, bob_id))["user"]["email"] == "bob@example.org"
    await api.sign_in("admin", "admin-password")
    seen = (await api.data(USER, bob_id))["user"]
    assert seen["email"] == "bob@example.org"
    assert seen["preferences"] == {"darkMode": False}


async def test_a_teacher_sees_a_student_of_their_course_but_not_the_private_parts(
    api: Api, engine: Engine
) -> None:
    # given Grace teaching a course Ada is enrolled in
    ada = await register(api)
    grace = await register(api, username="grace", email="grace@example.org", role="TEACHER")
    with engine.begin() as connection:
        course_id = connection.execute(
            text(
                "INSERT INTO courses (id, title, description, teacher_id, version)"
                " VALUES (gen_random_uuid(), 'Algebra', '', :teacher, 1) RETURNING id"
            ),
            {"teacher": grace["user"]["id"]},
        ).scalar()
        connection.execute(
            text("INSERT INTO course_enrollments (course_id, student_id) VALUES (:c, :s)"),
            {"c": course_id, "s": ada["user"]["id"]},
        )
    # when Grace looks Ada up
    api.token = grace["token"]
    seen = (await api.data(USER, {"id": ada["user"]["id"]}))["user"]
    # then she sees the account and profile, but neither email nor preferences
    assert (seen["username"], seen["profile"]["firstName"]) == ("ada", "Ada")
    assert seen["email"] is None
    assert seen["preferences"] is None


async def test_a_learner_updates_and_clears_their_profile(api: Api, engine: Engine) -> None:
    # given Ada signed in
    ada = await register(api)
    api.token = ada["token"]
    changes = {
        "bio": "Poet of numbers",
        "avatarUrl": "https://example.org/ada.png",
        "timezone": "Europe/London",
        "language": "en-GB",
        "lastName": None,
    }
    # when she updates her profile
    payload = (await api.data(UPDATE_PROFILE, {"input": changes}))["updateProfile"]
    # then the given fields change, the others stay, and no outbox event is written
    assert payload["errors"] == []
    assert payload["profile"] == {**changes, "firstName": "Ada"}
    stored = row(engine, "SELECT * FROM profiles WHERE user_id = :id", id=ada["user"]["id"])
    assert (stored["timezone"], stored["last_name"]) == ("Europe/London", None)
    assert (
        scalar(
            engine, "SELECT count(*) FROM outbox_events WHERE entity_id = :id", id=ada["user"]["id"]
        )
        == 1
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bio": "b" * 2001}, "bio"),
        ({"avatarUrl": "ftp://example.org/a.png"}, "avatarUrl"),
        ({"avatarUrl": "https://example.org/" + "a" * 490}, "avatarUrl"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"language": "x"}, "language"),
        ({"language": "l" * 17}, "language"),
    ],
)
async def test_a_bad_profile_update_names_the_field_and_changes_nothing(
    api: Api, engine: Engine, changes: dict[str, Any], field: str
) -> None:
    ada = await register(api)
    api.token = ada["token"]
    profile = "SELECT * FROM profiles WHERE user_id = :id"
    before = row(engine, profile, id=ada["user"]["id"])
    payload = (await api.data(UPDATE_PROFILE, {"input": changes}))["updateProfile"]
    assert payload["profile"] is None
    assert codes(payload) == [(field, "VALIDATION")]
    assert row(engine, profile, id=ada["user"]["id"]) == before


async def test_a_learner_sets_their_preferences(api: Api, engine: Engine) -> None:
    ada = await register(api)
    api.token = ada["token"]
    changes = {
        "dailyGoalMinutes": 45,
        "preferredDifficulty": "ADVANCED",
        "contentTypes": ["video", "quiz", "video"],
        "darkMode": True,
        "notificationsEnabled": False,
    }
    payload = (await api.data(UPDATE_PREFERENCES, {"input": changes}))["updatePreferences"]
    assert payload["errors"] == []
    assert payload["preferences"] == {**changes, "contentTypes": ["video", "quiz"]}
    stored = row(
        engine, "SELECT * FROM learning_preferences WHERE user_id = :id", id=ada["user"]["id"]
    )
    assert (stored["preferred_difficulty"], stored["content_types"]) == (
        "advanced",
        ["video", "quiz"],
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dailyGoalMinutes": 0}, "dailyGoalMinutes"),
        ({"dailyGoalMinutes": 1441}, "dailyGoalMinutes"),
        ({"contentTypes": ["video", "podcast"]}, "contentTypes"),
        ({"darkMode": None}, "darkMode"),
        ({"preferredDifficulty": None}, "preferredDifficulty"),
    ],
)
async def test_a_bad_preferences_update_names_the_field_and_changes_nothing(
    api: Api, engine: Engine, changes: dict[str, Any], field: str
) -> None:
    ada = await register(api)
    api.token = ada["token"]
    preferences = "SELECT * FROM learning_preferences WHERE user_id = :id"
    before = row(engine, preferences, id=ada["user"]["id"])
    payload = (await api.data(UPDATE_PREFERENCES, {"input": changes}))["updatePreferences"]
    assert payload["preferences"] is None
    assert codes(payload) == [(field, "VALIDATION")]
    assert row(engine, preferences, id=ada["user"]["id"]) == before


@pytest.mark.parametrize(
    ("document", "variables", "name"),
    [
        (UPDATE_PROFILE, {"input": {"bio": "hello"}}, "updateProfile"),
        (UPDATE_PREFERENCES, {"input": {"darkMode": True}}, "updatePreferences"),
    ],
)
async def test_a_visitor_cannot_change_a_profile_or_preferences(
    api: Api, engine: Engine, document: str, variables: dict[str, Any], name: str
) -> None:
    await register(api)
    before = {
        "bios": scalar(engine, "SELECT count(*) FROM profiles WHERE bio IS NOT NULL"),
        "dark": scalar(engine, "SELECT count(*) FROM learning_preferences WHERE dark_mode"),
    }
    payload = (await api.data(document, variables))[name]
    assert codes(payload) == [(None, "UNAUTHENTICATED")]
    assert scalar(engine, "SELECT count(*) FROM profiles WHERE bio IS NOT NULL") == before["bios"]
    assert (
        scalar(engine, "SELECT count(*) FROM learning_preferences WHERE dark_mode")
        == before["dark"]
    )


async def test_a_missing_preferences_row_is_made_with_defaults_on_first_update(
    api: Api, engine: Engine
) -> None:
    # given Ada whose preferences row is gone
    ada = await register(api)
    api.token = ada["token"]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM learning_preferences"))
    # when she only turns dark mode on
    payload = (await api.data(UPDATE_PREFERENCES, {"input": {"darkMode": True}}))[
        "updatePreferences"
    ]
    # then the other preferences take their defaults
    assert payload["preferences"] == {
        "dailyGoalMinutes": 30,
        "preferredDifficulty": "BEGINNER",
        "contentTypes": [],
        "darkMode": True,
        "notificationsEnabled": True,
    }


CREATE_CONCEPT = """
mutation CreateConcept($input: CreateConceptInput!) {
  createConcept(input: $input) { concept { id } errors { field message code } }
}
"""
SORTING = {"input": {"name": "sorting", "displayName": "Sorting", "difficulty": "BEGINNER"}}


async def signed_in_teacher_ada(api: Api, engine: Engine) -> None:
    """Ada registered, made a teacher, then signed in: her token says teacher."""
    await register(api)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET role = 'teacher' WHERE username = 'ada'"))
    login = await api.data(LOGIN, {"username": "ada", "password": "correct horse"})
    api.token = login["login"]["token"]


async def _refused_code(api: Api, query: str, variables: Any) -> str:
    response = await api.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 401, response.text
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


def _concepts(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM concepts")).scalar_one())


async def test_a_token_stops_working_once_its_user_is_deactivated(api: Api, engine: Engine) -> None:
    # given Ada, a teacher, signed in with a valid token
    await signed_in_teacher_ada(api, engine)
    # when an admin deactivates her account
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET is_active = false WHERE username = 'ada'"))
    # then the same token is refused, for reads and writes alike, and nothing is written
    assert await _refused_code(api, DASHBOARD, {}) == "UNAUTHENTICATED"
    assert await _refused_code(api, CREATE_CONCEPT, SORTING) == "UNAUTHENTICATED"
    assert _concepts(engine) == 0


async def test_a_role_change_revokes_the_token_and_a_new_one_carries_the_new_role(
    api: Api, engine: Engine
) -> None:
    # given a teacher's token
    await signed_in_teacher_ada(api, engine)
    # when her role is taken back to student
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET role = 'student' WHERE username = 'ada'"))
    # then the old token is refused, and with a new one she may no longer author content
    assert await _refused_code(api, CREATE_CONCEPT, SORTING) == "UNAUTHENTICATED"
    api.token = None  # a client drops a refused token, then signs in again
    login = await api.data(LOGIN, {"username": "ada", "password": "correct horse"})
    api.token = login["login"]["token"]
    payload = (await api.data(CREATE_CONCEPT, SORTING))["createConcept"]
    assert [error["code"] for error in payload["errors"]] == ["FORBIDDEN"]
    assert payload["concept"] is None
