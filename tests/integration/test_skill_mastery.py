"""Recording skill mastery over GraphQL (SQL side): the blend, the trend, the category, who may."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.courses import make_course, make_skill
from tests.support.learners import PASSWORD, count, make_user

if TYPE_CHECKING:
    from tests.support.api import Api

RECORD = operation("RecordSkillMastery")


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def mastery_events(engine: Engine) -> list[tuple[str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, entity_id, source_version FROM outbox_events"
                " WHERE entity_type = 'skill_mastery' ORDER BY seq"
            )
        )
        return [(row.event_type, row.entity_id, row.source_version) for row in rows]


async def record(api: Api, **given: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(RECORD, {"input": given}))["recordSkillMastery"]
    return payload


async def test_a_teacher_records_mastery_that_blends_and_shows_its_trend(
    api: Api, engine: Engine
) -> None:
    # given a student in a course of the signed-in teacher that teaches a skill
    student = str(make_user(engine, "ada"))
    skill = str(make_skill(engine, "recursion"))
    grace = make_user(engine, "grace", role="teacher")
    make_course(
        engine,
        "Algorithms",
        teacher=grace,
        skills=[uuid.UUID(skill)],
        students=[uuid.UUID(student)],
    )
    await api.sign_in("grace", PASSWORD)
    # when the first assessment is recorded
    first = await record(api, studentId=student, skillId=skill, mastery=0.5, confidence=0.6)
    # then it is taken as it is
    assert first["errors"] == []
    assert first["syncToken"]
    assert first["mastery"] == {
        "skill": {"id": skill, "name": "recursion"},
        "currentMastery": 0.5,
        "confidence": 0.6,
        "trend": "STABLE",
        "masteryCategory": "DEVELOPING",
        "numAssessments": 1,
    }
    # when a better one follows, then the average moves up and the trend is improving
    second = await record(api, studentId=student, skillId=skill, mastery=1.0, confidence=0.9)
    mastery = second["mastery"]
    assert abs(mastery["currentMastery"] - 0.85) < 1e-9
    assert (mastery["trend"], mastery["masteryCategory"]) == ("IMPROVING", "PROFICIENT")
    assert (mastery["numAssessments"], mastery["confidence"]) == (2, 0.9)
    # and the row's version and the outbox follow each change
    key = f"{student}:{skill}"
    assert count(engine, "skill_mastery", "version = 2") == 1
    assert mastery_events(engine) == [
        ("relationship_created", key, 1),
        ("relationship_updated", key, 2),
    ]


async def test_an_admin_may_record_but_a_student_may_not(api: Api, engine: Engine) -> None:
    student = str(make_user(engine, "ada"))
    skill = str(make_skill(engine, "recursion"))
    await api.sign_in("ada", PASSWORD)
    refused = await record(api, studentId=student, skillId=skill, mastery=1.0, confidence=1.0)
    assert codes(refused) == [(None, "FORBIDDEN")]
    assert count(engine, "skill_mastery") == 0
    await api.sign_in("admin", "admin-password")
    allowed = await record(api, studentId=student, skillId=skill, mastery=0.95, confidence=1.0)
    assert allowed["mastery"]["masteryCategory"] == "MASTERED"


async def test_bad_mastery_input_names_the_field_and_writes_nothing(
    api: Api, engine: Engine
) -> None:
    # given a student, a teacher and a skill (an admin may assess anyone)
    student = str(make_user(engine, "ada"))
    teacher = str(make_user(engine, "grace", role="teacher"))
    skill = str(make_skill(engine, "recursion"))
    await api.sign_in("admin", "admin-password")
    good = {"studentId": student, "skillId": skill, "mastery": 0.5, "confidence": 0.5}
    unknown = str(uuid.uuid4())
    # when each input is wrong in one way, then that field is named
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        ({"mastery": 1.5}, [("mastery", "VALIDATION")]),
        ({"confidence": -0.1}, [("confidence", "VALIDATION")]),
        ({"studentId": unknown}, [("studentId", "NOT_FOUND")]),
        ({"studentId": teacher}, [("studentId", "VALIDATION")]),
        ({"skillId": unknown}, [("skillId", "NOT_FOUND")]),
        ({"skillId": "not-an-id"}, [("skillId", "NOT_FOUND")]),
    ]
    for change, expected in cases:
        payload = await record(api, **{**good, **change})
        assert payload["mastery"] is None
        assert codes(payload) == expected, change
    # and nothing was written
    assert count(engine, "skill_mastery") == 0
    assert mastery_events(engine) == []


async def test_a_teacher_assesses_only_students_of_their_course_on_its_skills(
    api: Api, engine: Engine
) -> None:
    # given grace teaching ada recursion, and otto teaching bob sorting
    ada, bob = make_user(engine, "ada"), make_user(engine, "bob")
    grace = make_user(engine, "grace", role="teacher")
    otto = make_user(engine, "otto", role="teacher")
    recursion, sorting = make_skill(engine, "recursion"), make_skill(engine, "sorting")
    make_course(engine, "Recursion", teacher=grace, skills=[recursion], students=[ada])
    make_course(engine, "Sorting", teacher=otto, skills=[sorting], students=[bob, ada])
    await api.sign_in("grace", PASSWORD)
    # when grace assesses anyone but ada on recursion, or someone unknown
    refusals = []
    for student, skill in (
        (bob, recursion),  # not her student
        (ada, sorting),  # her student, but on another course's skill
        (bob, sorting),  # another teacher's student and skill
        (uuid.uuid4(), recursion),  # nobody
        (ada, uuid.uuid4()),  # no skill
        ("not-an-id", recursion),
    ):
        payload = await record(
            api, studentId=str(student), skillId=str(skill), mastery=0.9, confidence=0.9
        )
        assert payload["mastery"] is None
        refusals.append(payload["errors"])
    # then each refusal is the same FORBIDDEN, revealing nothing of what exists
    assert refusals == [refusals[0]] * len(refusals)
    assert codes({"errors": refusals[0]}) == [(None, "FORBIDDEN")]
    # and nothing was written
    assert count(engine, "skill_mastery") == 0
    assert mastery_events(engine) == []
    # while her own student on her course's skill is assessed
    allowed = await record(
        api, studentId=str(ada), skillId=str(recursion), mastery=0.9, confidence=0.9
    )
    assert allowed["errors"] == []
