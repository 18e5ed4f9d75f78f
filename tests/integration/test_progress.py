"""Recording progress and enrolling in paths over the API, checked in SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_path, make_user, scalar

if TYPE_CHECKING:
    from tests.support.api import Api

RECORD = operation("RecordProgress")

ENROLL = operation("EnrollInPath")

MY_PROGRESS = """
query ConceptPage($name: String!) {
  concept(name: $name) { id name myProgress { status progressPercent masteryScore } }
}
"""


async def record(api: Api, concept_id: Any, status: str, percent: float, seconds: int = 0) -> Any:
    given = {
        "conceptId": str(concept_id),
        "status": status,
        "progressPercent": percent,
        "timeSpentSeconds": seconds,
    }
    return (await api.data(RECORD, {"input": given}))["recordProgress"]


def events(engine: Engine, entity_type: str) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, source_version FROM outbox_events "
                "WHERE entity_type = :t ORDER BY seq"
            ),
            {"t": entity_type},
        )
        return [(row[0], row[1]) for row in rows]


async def test_a_learner_records_progress_with_study_time_and_a_graph_event_per_change(
    api: Api, engine: Engine
) -> None:
    # given a signed-in student and a concept
    student = make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    # when she studies it twice, finishing the second time
    first = await record(api, sets, "IN_PROGRESS", 40, seconds=600)
    second = await record(api, sets, "COMPLETED", 100, seconds=300)
    # then one row holds the latest state, the summed time and version 2
    assert first["errors"] == []
    assert first["syncToken"]
    assert second["progress"]["concept"] == {"id": str(sets), "name": "sets"}
    assert second["progress"]["status"] == "COMPLETED"
    assert second["progress"]["progressPercent"] == 100
    row = "FROM concept_progress WHERE user_id = :u"
    assert scalar(engine, f"SELECT time_spent_seconds {row}", u=student) == 900
    assert scalar(engine, f"SELECT version {row}", u=student) == 2
    assert scalar(engine, f"SELECT completed_at IS NOT NULL {row}", u=student) is True
    assert count(engine, "learning_sessions", "user_id = :u", u=student) == 2
    assert events(engine, "concept_progress") == [
        ("relationship_created", 1),
        ("relationship_updated", 2),
    ]
    # and finishing a first concept earns First Steps
    assert (
        scalar(
            engine,
            "SELECT a.title FROM achievement_awards w JOIN achievements a ON a.id = w.achievement_id",
        )
        == "First Steps"
    )


async def test_recording_no_time_adds_no_learning_session(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    assert (await record(api, sets, "IN_PROGRESS", 10))["errors"] == []
    assert count(engine, "learning_sessions") == 0
    assert count(engine, "achievement_awards") == 0


async def test_bad_progress_input_names_the_field_and_writes_nothing(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    # when the percent, the time and the concept are wrong
    too_much = await record(api, sets, "IN_PROGRESS", 150)
    negative = await record(api, sets, "IN_PROGRESS", 10, seconds=-5)
    over_a_day = await record(api, sets, "IN_PROGRESS", 10, seconds=86_401)
    unknown = await record(api, "00000000-0000-0000-0000-000000000000", "COMPLETED", 100)
    garbage = await record(api, "not-an-id", "COMPLETED", 100)
    # then each error names its field and nothing is written
    assert [(e["field"], e["code"]) for e in too_much["errors"]] == [
        ("progressPercent", "VALIDATION")
    ]
    for wrong_time in (negative, over_a_day):
        assert [(e["field"], e["code"]) for e in wrong_time["errors"]] == [
            ("timeSpentSeconds", "VALIDATION")
        ]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("conceptId", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in garbage["errors"]] == [("conceptId", "NOT_FOUND")]
    assert too_much["progress"] is None
    for table in ("concept_progress", "learning_sessions", "achievement_awards"):
        assert count(engine, table) == 0, table
    assert count(engine, "outbox_events", "entity_type = 'concept_progress'") == 0


async def test_study_time_at_the_columns_largest_value_stays_there_without_failing(
    api: Api, engine: Engine
) -> None:
    # given a learner whose study time on a concept is already the largest an integer holds
    student = make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    assert (await record(api, sets, "IN_PROGRESS", 10, seconds=60))["errors"] == []
    largest = 2**31 - 1
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE concept_progress SET time_spent_seconds = :t WHERE user_id = :u"),
            {"t": largest, "u": student},
        )
    # when she reports a day more
    payload = await record(api, sets, "IN_PROGRESS", 20, seconds=86_400)
    # then the report is taken and the total is held at the largest value
    assert payload["errors"] == []
    assert payload["progress"]["progressPercent"] == 20
    row = "FROM concept_progress WHERE user_id = :u"
    assert scalar(engine, f"SELECT time_spent_seconds {row}", u=student) == largest


async def test_recording_progress_needs_a_signed_in_user(api: Api, engine: Engine) -> None:
    sets = make_concept(engine, "sets")
    payload = await record(api, sets, "COMPLETED", 100)
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
    assert count(engine, "concept_progress") == 0


async def test_enrolled_paths_follow_the_share_of_required_concepts_completed(
    api: Api, engine: Engine
) -> None:
    # given a path of two required concepts and an optional one, and an enrolled student
    student = make_user(engine, "ada")
    a, b, extra = (make_concept(engine, name) for name in ("arrays", "lists", "trivia"))
    path = make_path(engine, "Basics", required=[a, b], optional=[extra])
    await api.sign_in("ada", PASSWORD)
    enrolled = (await api.data(ENROLL, {"pathId": str(path)}))["enrollInPath"]
    assert enrolled["enrollment"] == {
        "status": "NOT_STARTED",
        "progressPercent": 0,
        "path": {"id": str(path), "title": "Basics"},
    }
    assert enrolled["syncToken"]
    # when she completes the optional concept, then one required, then the other
    await record(api, extra, "COMPLETED", 100)
    after_optional = scalar(engine, "SELECT progress_percent FROM path_enrollments")
    await record(api, a, "COMPLETED", 100)
    after_one = scalar(engine, "SELECT progress_percent FROM path_enrollments")
    await record(api, b, "MASTERED", 100)
    # then only required concepts count, and the path ends completed
    assert (after_optional, after_one) == (0, 50)
    where = "user_id = :u AND status = 'completed' AND progress_percent = 100"
    assert count(engine, "path_enrollments", where, u=student) == 1
    assert events(engine, "path_enrollment") == [
        ("relationship_created", 1),
        ("relationship_updated", 2),
        ("relationship_updated", 3),
    ]


async def test_enrolling_twice_changes_nothing_and_an_unknown_path_is_not_found(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    path = make_path(engine, "Basics", required=[sets])
    await api.sign_in("ada", PASSWORD)
    await api.data(ENROLL, {"pathId": str(path)})
    again = (await api.data(ENROLL, {"pathId": str(path)}))["enrollInPath"]
    unknown = await api.data(ENROLL, {"pathId": "00000000-0000-0000-0000-000000000000"})
    assert again["errors"] == []
    assert again["syncToken"] is None
    assert again["enrollment"]["status"] == "NOT_STARTED"
    assert [(e["field"], e["code"]) for e in unknown["enrollInPath"]["errors"]] == [
        ("pathId", "NOT_FOUND")
    ]
    assert count(engine, "path_enrollments") == 1
    assert count(engine, "outbox_events", "entity_type = 'path_enrollment'") == 1


async def test_enrolling_needs_a_signed_in_user(api: Api, engine: Engine) -> None:
    sets = make_concept(engine, "sets")
    path = make_path(engine, "Basics", required=[sets])
    payload = (await api.data(ENROLL, {"pathId": str(path)}))["enrollInPath"]
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
    assert count(engine, "path_enrollments") == 0


async def test_a_concepts_my_progress_is_the_callers_own(api: Api, engine: Engine) -> None:
    # given ada's progress on a concept
    make_user(engine, "ada")
    make_user(engine, "bob")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    await record(api, sets, "IN_PROGRESS", 30)
    mine = (await api.data(MY_PROGRESS, {"name": "sets"}))["concept"]["myProgress"]
    # when bob and an anonymous visitor read the same page
    await api.sign_in("bob", PASSWORD)
    bobs = (await api.data(MY_PROGRESS, {"name": "sets"}))["concept"]["myProgress"]
    api.token = None
    anonymous = (await api.data(MY_PROGRESS, {"name": "sets"}))["concept"]["myProgress"]
    # then only ada sees hers
    assert mine == {"status": "IN_PROGRESS", "progressPercent": 30, "masteryScore": 0}
    assert bobs is None
    assert anonymous is None


PATH_ENROLLMENT = """
query LearningPath($id: ID!) {
  learningPath(id: $id) { id title myEnrollment { status progressPercent } }
}
"""


async def test_a_paths_my_enrollment_is_the_callers_own(api: Api, engine: Engine) -> None:
    # given ada enrolled in a path of one concept that she completed
    make_user(engine, "ada")
    make_user(engine, "bob")
    sets = make_concept(engine, "sets")
    path = make_path(engine, "Basics", required=[sets])
    await api.sign_in("ada", PASSWORD)
    await api.data(ENROLL, {"pathId": str(path)})
    await record(api, sets, "COMPLETED", 100)
    # when ada and bob read the path
    hers = (await api.data(PATH_ENROLLMENT, {"id": str(path)}))["learningPath"]["myEnrollment"]
    await api.sign_in("bob", PASSWORD)
    his = (await api.data(PATH_ENROLLMENT, {"id": str(path)}))["learningPath"]["myEnrollment"]
    # then each sees only their own enrollment
    assert hers == {"status": "COMPLETED", "progressPercent": 100}
    assert his is None
