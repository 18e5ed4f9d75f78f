"""Lessons over the API: authoring in order with versions, completing them, and the progress
on their concept that follows (in SQL and, through the sync, in the graph)."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user, scalar
from tests.support.waiting import eventually, eventually_async

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.api import Api

LESSONS = operation("ConceptLessons")
CREATE = operation("CreateLesson")
UPDATE = operation("UpdateLesson")
DELETE = operation("DeleteLesson")
COMPLETE = operation("CompleteLesson")


async def create(api: Api, concept_id: uuid.UUID, title: str, **more: Any) -> dict[str, Any]:
    given = {"conceptId": str(concept_id), "title": title, **more}
    result: dict[str, Any] = (await api.data(CREATE, {"input": given}))["createLesson"]
    return result


async def titles(api: Api, name: str) -> list[str]:
    concept = (await api.data(LESSONS, {"name": name}))["concept"]
    return [lesson["title"] for lesson in concept["lessons"]]


async def signed_in_teacher(api: Api, engine: Engine) -> None:
    """Signs in a teacher who created every concept made so far (its lessons are theirs)."""
    tess = make_user(engine, "tess", role="teacher")
    with engine.begin() as connection:
        connection.execute(text("UPDATE concepts SET created_by = :tess"), {"tess": tess})
    await api.sign_in("tess", PASSWORD)


async def test_a_teacher_adds_lessons_in_order_and_inserts_one_between(
    api: Api, engine: Engine
) -> None:
    # given a concept and a teacher
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    # when she adds two lessons, then one at place 1
    first = await create(api, sets, "Intro", contentType="VIDEO", durationMinutes=12)
    await create(api, sets, "Operations")
    between = await create(api, sets, "Notation", orderIndex=1)
    # then they read in that order, each with its place and version 1
    assert first["errors"] == []
    assert first["lesson"]["orderIndex"] == 0
    assert between["lesson"] == {
        "id": between["lesson"]["id"],
        "title": "Notation",
        "orderIndex": 1,
        "version": 1,
    }
    assert await titles(api, "sets") == ["Intro", "Notation", "Operations"]
    concept = (await api.data(LESSONS, {"name": "sets"}))["concept"]
    assert [x["orderIndex"] for x in concept["lessons"]] == [0, 1, 2]
    assert concept["lessons"][0]["contentType"] == "VIDEO"
    assert concept["lessons"][0]["durationMinutes"] == 12


async def test_an_update_moves_a_lesson_and_a_stale_version_is_refused(
    api: Api, engine: Engine
) -> None:
    # given three lessons
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    ids = [(await create(api, sets, title))["lesson"]["id"] for title in ("A", "B", "C")]
    # when the first moves to the end at its current version
    moved = (
        await api.data(UPDATE, {"id": ids[0], "input": {"orderIndex": 2, "expectedVersion": 1}})
    )["updateLesson"]
    # then the order follows and the version grew
    assert moved["errors"] == []
    assert moved["lesson"]["version"] == 2
    assert await titles(api, "sets") == ["B", "C", "A"]
    # when someone updates it again with the old version
    stale = (await api.data(UPDATE, {"id": ids[0], "input": {"title": "Z", "expectedVersion": 1}}))[
        "updateLesson"
    ]
    # then CONFLICT names expectedVersion and nothing changed
    assert stale["lesson"] is None
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("expectedVersion", "CONFLICT")]
    assert await titles(api, "sets") == ["B", "C", "A"]


async def test_deleting_a_lesson_closes_the_gap(api: Api, engine: Engine) -> None:
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    ids = [(await create(api, sets, title))["lesson"]["id"] for title in ("A", "B", "C")]
    deleted = (await api.data(DELETE, {"id": ids[1]}))["deleteLesson"]
    assert deleted == {"deletedId": ids[1], "errors": []}
    concept = (await api.data(LESSONS, {"name": "sets"}))["concept"]
    assert [(x["title"], x["orderIndex"]) for x in concept["lessons"]] == [("A", 0), ("C", 1)]
    again = (await api.data(DELETE, {"id": ids[1]}))["deleteLesson"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("id", "FORBIDDEN")]


async def test_bad_lesson_input_names_each_field_and_writes_nothing(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    bad = await create(api, sets, " ", durationMinutes=0, orderIndex=-1, summary="s" * 2001)
    assert bad["lesson"] is None
    assert sorted(e["field"] for e in bad["errors"]) == [
        "durationMinutes",
        "orderIndex",
        "summary",
        "title",
    ]
    unknown = await create(api, uuid.uuid4(), "Intro")
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("conceptId", "FORBIDDEN")]
    not_an_id = await api.data(CREATE, {"input": {"conceptId": "x", "title": "Intro"}})
    assert not_an_id["createLesson"]["errors"][0]["field"] == "conceptId"
    long_duration = (
        await api.data(UPDATE, {"id": str(uuid.uuid4()), "input": {"durationMinutes": 601}})
    )["updateLesson"]
    assert [e["field"] for e in long_duration["errors"]] == ["durationMinutes"]
    null_title = (await api.data(UPDATE, {"id": str(uuid.uuid4()), "input": {"title": None}}))[
        "updateLesson"
    ]
    assert [e["field"] for e in null_title["errors"]] == ["title"]
    assert count(engine, "lessons") == 0


async def test_students_and_anonymous_callers_cannot_author_lessons(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    anonymous = await create(api, sets, "Intro")
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    make_user(engine, "stu")
    await api.sign_in("stu", PASSWORD)
    student = await create(api, sets, "Intro")
    assert [e["code"] for e in student["errors"]] == ["FORBIDDEN"]
    assert count(engine, "lessons") == 0
    deleted = (await api.data(DELETE, {"id": str(uuid.uuid4())}))["deleteLesson"]
    assert [e["code"] for e in deleted["errors"]] == ["FORBIDDEN"]


async def test_completing_lessons_moves_concept_progress_to_their_share_and_the_graph(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a concept (made through the API, so the graph holds it) with four lessons
    await signed_in_teacher(api, engine)
    concept = {"name": "sets", "displayName": "Sets", "difficulty": "BEGINNER"}
    made = (await api.data(operation("CreateConcept"), {"input": concept}))["createConcept"]
    sets = uuid.UUID(made["concept"]["id"])
    ids = [(await create(api, sets, f"L{i}"))["lesson"]["id"] for i in range(4)]
    # and a student who registered
    account = {"username": "stu", "email": "stu@example.org", "password": PASSWORD}
    registered = (await api.data(operation("Register"), {"input": account}))["register"]
    api.token = registered["token"]
    # when she completes one lesson
    done = (await api.data(COMPLETE, {"id": ids[0]}))["completeLesson"]
    # then the lesson is completed and her concept progress is 25 percent
    assert done["errors"] == []
    assert done["syncToken"]
    assert done["lessonProgress"]["lesson"] == {"id": ids[0]}
    assert done["lessonProgress"]["status"] == "COMPLETED"
    assert done["conceptProgress"]["concept"]["name"] == "sets"
    assert (done["conceptProgress"]["status"], done["conceptProgress"]["progressPercent"]) == (
        "IN_PROGRESS",
        25.0,
    )
    # when she completes the same lesson again, then the rest
    again = (await api.data(COMPLETE, {"id": ids[0]}))["completeLesson"]
    assert again["lessonProgress"]["completedAt"] == done["lessonProgress"]["completedAt"]
    assert again["conceptProgress"]["progressPercent"] == 25.0
    for lesson_id in ids[1:]:
        last = (await api.data(COMPLETE, {"id": lesson_id}))["completeLesson"]
    # then the concept is completed, her lessons show it, and the graph learns it
    assert (last["conceptProgress"]["status"], last["conceptProgress"]["progressPercent"]) == (
        "COMPLETED",
        100.0,
    )
    concept = (await api.data(LESSONS, {"name": "sets"}))["concept"]
    assert {x["myProgress"]["status"] for x in concept["lessons"]} == {"COMPLETED"}

    def in_graph() -> float | None:
        found, _, _ = graph.execute_query(
            "MATCH (:User {username: 'stu'})-[p:HAS_PROGRESS]->(:Concept {name: 'sets'}) "
            "RETURN p.progress_percent AS percent, p.status AS status",
            database_=settings.neo4j_database,
        )
        return found[0]["percent"] if found and found[0]["status"] == "completed" else None

    assert eventually(in_graph) == 100.0


async def test_completing_a_lesson_never_lowers_progress_and_needs_a_learner(
    api: Api, engine: Engine
) -> None:
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    ids = [(await create(api, sets, f"L{i}"))["lesson"]["id"] for i in range(2)]
    api.token = None
    anonymous = (await api.data(COMPLETE, {"id": ids[0]}))["completeLesson"]
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    concept = (await api.data(LESSONS, {"name": "sets"}))["concept"]
    assert [x["myProgress"] for x in concept["lessons"]] == [None, None]
    student = make_user(engine, "stu")
    await api.sign_in("stu", PASSWORD)
    record = operation("RecordProgress")
    given = {"conceptId": str(sets), "status": "MASTERED", "progressPercent": 100}
    await api.data(record, {"input": given})
    done = (await api.data(COMPLETE, {"id": ids[0]}))["completeLesson"]
    assert (done["conceptProgress"]["status"], done["conceptProgress"]["progressPercent"]) == (
        "MASTERED",
        100.0,
    )
    missing = (await api.data(COMPLETE, {"id": str(uuid.uuid4())}))["completeLesson"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]
    assert scalar(engine, "SELECT count(*) FROM lesson_progress WHERE user_id = :u", u=student) == 1


async def test_deleting_a_lesson_completes_the_concept_for_learners_who_did_the_others(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a concept in the graph with three lessons
    await signed_in_teacher(api, engine)
    teacher = api.token
    concept = {"name": "sets", "displayName": "Sets", "difficulty": "BEGINNER"}
    made = (await api.data(operation("CreateConcept"), {"input": concept}))["createConcept"]
    sets = uuid.UUID(made["concept"]["id"])
    ids = [(await create(api, sets, f"L{i}"))["lesson"]["id"] for i in range(3)]
    # and ada (registered, so the graph knows her), who completed the first two lessons, and
    # bob, who completed only the last
    account = {"username": "ada", "email": "ada@example.org", "password": PASSWORD}
    api.token = (await api.data(operation("Register"), {"input": account}))["register"]["token"]
    for lesson_id in ids[:2]:
        ada = (await api.data(COMPLETE, {"id": lesson_id}))["completeLesson"]
    assert ada["conceptProgress"]["progressPercent"] == 66.67
    make_user(engine, "bob")
    await api.sign_in("bob", PASSWORD)
    await api.data(COMPLETE, {"id": ids[2]})
    # when the teacher adds a lesson, then nobody's progress moves back
    api.token = teacher
    await create(api, sets, "L3")
    assert progress(engine, "ada") == ("in_progress", 66.67, 2)
    # when she deletes the last two lessons
    for lesson_id in [*ids[2:], lesson_titled(engine, "L3")]:
        deleted = (await api.data(DELETE, {"id": lesson_id}))["deleteLesson"]
        assert deleted["errors"] == []
    # then ada has done every lesson left: the concept is completed, with its achievement
    assert progress(engine, "ada") == ("completed", 100.0, 3)
    assert count(engine, "achievement_awards") == 1
    # and bob, whose lesson is gone, keeps the progress he had
    assert progress(engine, "bob") == ("in_progress", 33.33, 1)

    # and the graph learns ada's completion (waiting with the event loop free: the API hands
    # the commit's events to the broker from a background task)
    def in_graph() -> tuple[str, float] | None:
        found, _, _ = graph.execute_query(
            "MATCH (:User {username: 'ada'})-[p:HAS_PROGRESS]->(:Concept {name: 'sets'}) "
            "RETURN p.status AS status, p.progress_percent AS percent",
            database_=settings.neo4j_database,
        )
        return (found[0]["status"], found[0]["percent"]) if found else None

    synced = await eventually_async(
        lambda: asyncio.to_thread(in_graph), lambda found: found == ("completed", 100.0)
    )
    assert synced == ("completed", 100.0)


def progress(engine: Engine, username: str) -> tuple[str, float, int]:
    """The learner's status, percent and version on the concept `sets`."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT p.status, p.progress_percent, p.version FROM concept_progress p"
                " JOIN users u ON u.id = p.user_id JOIN concepts c ON c.id = p.concept_id"
                " WHERE u.username = :name AND c.name = 'sets'"
            ),
            {"name": username},
        ).one()
    return row.status, row.progress_percent, row.version


def lesson_titled(engine: Engine, title: str) -> str:
    return str(scalar(engine, "SELECT id FROM lessons WHERE title = :t", t=title))


async def test_a_refused_change_leaves_the_lesson_as_it_was(api: Api, engine: Engine) -> None:
    # given a lesson
    sets = make_concept(engine, "sets")
    await signed_in_teacher(api, engine)
    lesson = (await create(api, sets, "Intro"))["lesson"]
    before = count(engine, "audit_log"), count(engine, "outbox_events")
    # when the teacher sends bad values, a stale version or a content type that does not exist
    bad = {"title": "", "durationMinutes": 0, "orderIndex": -2, "expectedVersion": 0}
    refused = (await api.data(UPDATE, {"id": lesson["id"], "input": bad}))["updateLesson"]
    unknown_type = await api.send(UPDATE, {"id": lesson["id"], "input": {"contentType": "GAME"}})
    # then each bad field is named
    assert refused["lesson"] is None
    assert sorted(e["field"] for e in refused["errors"]) == [
        "durationMinutes",
        "expectedVersion",
        "orderIndex",
        "title",
    ]
    assert "errors" in unknown_type
    assert unknown_type.get("data") is None
    # and the lesson, the audit log and the outbox are as they were
    found = (await api.data(LESSONS, {"name": "sets"}))["concept"]["lessons"]
    assert [(x["title"], x["durationMinutes"], x["contentType"]) for x in found] == [
        ("Intro", 10, "TEXT")
    ]
    assert scalar(engine, "SELECT version FROM lessons") == 1
    assert (count(engine, "audit_log"), count(engine, "outbox_events")) == before


async def test_an_admin_is_told_a_lesson_is_missing_and_a_learner_that_an_id_is_bad(
    api: Api, engine: Engine
) -> None:
    make_concept(engine, "sets")
    await api.sign_in("admin", "admin-password")
    for bad in (str(uuid.uuid4()), "not-an-id"):
        deleted = (await api.data(DELETE, {"id": bad}))["deleteLesson"]
        assert [(e["field"], e["code"]) for e in deleted["errors"]] == [("id", "NOT_FOUND")]
    make_user(engine, "stu")
    await api.sign_in("stu", PASSWORD)
    malformed = (await api.data(COMPLETE, {"id": "not-an-id"}))["completeLesson"]
    assert [(e["field"], e["code"]) for e in malformed["errors"]] == [("id", "NOT_FOUND")]
    assert (malformed["lessonProgress"], malformed["conceptProgress"]) == (None, None)
    assert count(engine, "concept_progress") == count(engine, "lesson_progress") == 0
    # and a lesson list asked for by an unknown or oversized name answers nothing
    assert (await api.data(LESSONS, {"name": "nothing_here"}))["concept"] is None
    oversized = await api.send(LESSONS, {"name": "n" * 201})
    assert oversized["errors"][0]["extensions"]["field"] == "name"
