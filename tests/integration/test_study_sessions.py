"""Study sessions over the API: one open per learner, idle ones end at their last activity,
history in pages, and the dashboard's time spent and streak from them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tasks.study_sessions import close_idle_sessions_once
from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user

if TYPE_CHECKING:
    from tests.support.api import Api

START = operation("StartLearningSession")
END = operation("EndLearningSession")
HISTORY = operation("MyLearningSessions")


async def start(api: Api, concept_id: Any = None) -> dict[str, Any]:
    variables = {"conceptId": None if concept_id is None else str(concept_id)}
    result: dict[str, Any] = (await api.data(START, variables))["startLearningSession"]
    return result


async def history(api: Api, first: int = 20, after: str | None = None) -> dict[str, Any]:
    me: dict[str, Any] = (await api.data(HISTORY, {"first": first, "after": after}))["me"]
    return me


def age(engine: Engine, session_id: str, *, started_hours: float, active_hours: float) -> None:
    """Moves a session back in time: started and last active that many hours ago."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE learning_sessions SET started_at = now() - make_interval(secs => CAST(:s AS float8) * 3600),"
                " last_activity_at = now() - make_interval(secs => CAST(:a AS float8) * 3600) WHERE id = :id"
            ),
            {"s": started_hours, "a": active_hours, "id": session_id},
        )


def stamp(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_starting_a_session_ends_the_open_one(api: Api, engine: Engine) -> None:
    # given a learner studying sets
    sets = make_concept(engine, "sets")
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    first = await start(api, sets)
    assert first["errors"] == []
    assert first["session"]["concept"]["name"] == "sets"
    # when she starts another session without a concept
    second = await start(api)
    # then the first one ended and only the second is open
    me = await history(api)
    nodes = [edge["node"] for edge in me["learningSessions"]["edges"]]
    assert [node["id"] for node in nodes] == [second["session"]["id"], first["session"]["id"]]
    assert nodes[0]["endedAt"] is None
    assert nodes[0]["concept"] is None
    assert nodes[1]["endedAt"] is not None
    assert nodes[1]["durationSeconds"] >= 0
    assert count(engine, "learning_sessions", "ended_at IS NULL") == 1


async def test_ending_a_session_records_its_length_once(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    opened = (await start(api))["session"]
    age(engine, opened["id"], started_hours=0.5, active_hours=0)
    ended = (await api.data(END, {"id": opened["id"]}))["endLearningSession"]
    assert ended["errors"] == []
    assert 1800 <= ended["session"]["durationSeconds"] < 1900
    again = (await api.data(END, {"id": opened["id"]}))["endLearningSession"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("id", "CONFLICT")]
    me = await history(api)
    assert me["dashboard"]["timeSpentSeconds"] == ended["session"]["durationSeconds"]
    assert me["dashboard"]["streakDays"] == 1


async def test_an_idle_session_ends_at_its_last_activity(api: Api, engine: Engine) -> None:
    # given a session started three hours ago, last active two and a half hours ago
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    opened = (await start(api))["session"]
    age(engine, opened["id"], started_hours=3, active_hours=2.5)
    # then it reads as ended at its last activity, and counts half an hour
    node = (await history(api))["learningSessions"]["edges"][0]["node"]
    assert node["durationSeconds"] == 1800
    assert (await history(api))["dashboard"]["timeSpentSeconds"] == 1800
    # when she ends it now, then it still ends at its last activity
    ended = (await api.data(END, {"id": opened["id"]}))["endLearningSession"]["session"]
    assert ended["durationSeconds"] == 1800
    assert stamp(ended["endedAt"]) == stamp(node["endedAt"])


async def test_a_session_still_going_counts_up_to_its_last_activity(
    api: Api, engine: Engine
) -> None:
    # given a session started half an hour ago, last active a quarter of an hour ago
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    opened = (await start(api))["session"]
    age(engine, opened["id"], started_hours=0.5, active_hours=0.25)
    # then it is still open, and the dashboard counts its quarter of an hour already
    me = await history(api)
    assert me["learningSessions"]["edges"][0]["node"]["endedAt"] is None
    assert me["dashboard"]["timeSpentSeconds"] == 900


async def test_the_idle_sweep_and_a_new_start_close_forgotten_sessions(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "ada")
    make_user(engine, "bob")
    await api.sign_in("bob", PASSWORD)
    bobs = (await start(api))["session"]
    age(engine, bobs["id"], started_hours=2, active_hours=1)
    await api.sign_in("ada", PASSWORD)
    adas = (await start(api))["session"]
    age(engine, adas["id"], started_hours=2, active_hours=1)
    # when ada starts again, her forgotten session ends at its last activity
    await start(api)
    row = "SELECT duration_seconds FROM learning_sessions WHERE id = :id"
    with engine.connect() as connection:
        assert connection.execute(text(row), {"id": adas["id"]}).scalar() == 3600
    # and the workers' sweep ends bob's the same way
    close_idle_sessions_once(idle_seconds=1800)
    with engine.connect() as connection:
        assert connection.execute(text(row), {"id": bobs["id"]}).scalar() == 3600
    assert count(engine, "learning_sessions", "ended_at IS NULL") == 1


async def test_two_starts_at_once_leave_one_open_session(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    results = await asyncio.gather(*(start(api) for _ in range(4)))
    assert all(result["errors"] == [] for result in results)
    assert count(engine, "learning_sessions", "ended_at IS NULL") == 1
    assert count(engine, "learning_sessions") == 4


async def test_history_comes_in_pages_latest_first(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    ids = [(await start(api))["session"]["id"] for _ in range(3)]
    page = (await history(api, first=2))["learningSessions"]
    assert page["totalCount"] == 3
    assert [e["node"]["id"] for e in page["edges"]] == ids[::-1][:2]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = (await history(api, first=2, after=page["pageInfo"]["endCursor"]))["learningSessions"]
    assert [e["node"]["id"] for e in rest["edges"]] == [ids[0]]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_sessions_refuse_bad_input_and_strangers(api: Api, engine: Engine) -> None:
    anonymous = await start(api)
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    assert (await api.data(HISTORY, {}))["me"] is None
    make_user(engine, "ada")
    make_user(engine, "bob")
    await api.sign_in("ada", PASSWORD)
    unknown = await start(api, uuid.uuid4())
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("conceptId", "NOT_FOUND")]
    malformed = await start(api, "not-an-id")
    assert [(e["field"], e["code"]) for e in malformed["errors"]] == [("conceptId", "NOT_FOUND")]
    adas = (await start(api))["session"]
    await api.sign_in("bob", PASSWORD)
    stranger = (await api.data(END, {"id": adas["id"]}))["endLearningSession"]
    nobodys = (await api.data(END, {"id": str(uuid.uuid4())}))["endLearningSession"]
    assert [(e["field"], e["code"]) for e in stranger["errors"]] == [("id", "FORBIDDEN")]
    assert nobodys["errors"] == stranger["errors"]  # as if it did not exist
    assert (await history(api))["learningSessions"]["totalCount"] == 0
    assert count(engine, "learning_sessions", "ended_at IS NULL") == 1
    bad_page = await api.send(HISTORY, {"first": -1})
    assert bad_page["errors"][0]["extensions"]["field"] == "first"
    bad_cursor = await api.send(HISTORY, {"after": "bm90LWEtY3Vyc29y"})
    assert bad_cursor["errors"][0]["extensions"]["field"] == "after"
