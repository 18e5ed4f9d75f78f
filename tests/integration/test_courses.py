"""Courses over GraphQL: authoring, structure import, enrollment and the Course tree (SQL side)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, event, text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user

if TYPE_CHECKING:
    from tests.support.api import Api

CREATE = operation("CreateCourse")

UPDATE = operation("UpdateCourse")

DELETE = operation("DeleteCourse")

IMPORT = operation("ImportCourseStructure")

JOIN = operation("JoinCourse")

LEAVE = operation("LeaveCourse")

COURSE = operation("Course")

STRUCTURE: list[dict[str, Any]] = [
    {
        "name": "Foundations",
        "theories": [
            {
                "name": "Lists",
                "summary": "Ordered items",
                "skills": ["indexing", "slicing"],
                "conceptNames": ["arrays"],
                "readings": [
                    {"title": "On lists", "url": "https://example.org/lists", "conceptNames": []}
                ],
                "videos": [
                    {
                        "title": "Lists explained",
                        "url": "http://example.org/v",
                        "conceptNames": ["arrays"],
                    }
                ],
            },
            {"name": "Maps", "skills": ["hashing"], "conceptNames": ["hash_tables"]},
        ],
    },
    {"name": "Algorithms", "theories": [{"name": "Sorting", "skills": ["indexing"]}]},
]


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def events(engine: Engine, entity_type: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, entity_id FROM outbox_events WHERE entity_type = :t ORDER BY seq"
            ),
            {"t": entity_type},
        )
        return [(row.event_type, row.entity_id) for row in rows]


async def signed_in_teacher(
    api: Api, engine: Engine, username: str = "grace", *, recorded: bool = False
) -> str:
    teacher_id = make_user(engine, username, role="teacher", recorded=recorded)
    await api.sign_in(username, PASSWORD)
    return str(teacher_id)


async def new_course(api: Api, title: str = "Data structures") -> str:
    payload = await api.data(CREATE, {"input": {"title": title, "description": "d"}})
    assert payload["createCourse"]["errors"] == []
    return str(payload["createCourse"]["course"]["id"])


async def test_a_teacher_creates_a_course_that_they_teach(api: Api, engine: Engine) -> None:
    # given a signed-in teacher
    teacher_id = await signed_in_teacher(api, engine)
    # when they create a course
    data = await api.data(CREATE, {"input": {"title": "Data structures", "description": "Basics"}})
    # then they teach it, and one course-created event is in the outbox
    payload = data["createCourse"]
    assert payload["errors"] == []
    assert payload["syncToken"]
    assert payload["course"]["title"] == "Data structures"
    assert payload["course"]["teacher"] == {"id": teacher_id, "username": "grace"}
    assert events(engine, "course") == [("entity_created", payload["course"]["id"])]
    assert count(engine, "courses", "teacher_id = :t", t=teacher_id) == 1


@pytest.mark.parametrize(
    "title",
    ["  ", "\u200b", "\u202e\u200b", "\u2060\ufeff", "\u00a0\u3000", "\x07\x1b"],
    ids=[
        "spaces",
        "zero-width space",
        "direction override",
        "word joiners",
        "wide spaces",
        "controls",
    ],
)
async def test_a_title_a_reader_cannot_see_is_refused_and_nothing_is_written(
    api: Api, engine: Engine, title: str
) -> None:
    await signed_in_teacher(api, engine)
    payload = (await api.data(CREATE, {"input": {"title": title}}))["createCourse"]
    assert payload["course"] is None
    assert codes(payload) == [("title", "VALIDATION")]
    assert count(engine, "courses") == 0
    assert count(engine, "outbox_events", "entity_type = 'course'") == 0


async def test_students_cannot_create_courses(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    payload = (await api.data(CREATE, {"input": {"title": "Mine"}}))["createCourse"]
    assert codes(payload) == [(None, "FORBIDDEN")]
    assert count(engine, "courses") == 0


async def test_only_the_courses_teacher_or_an_admin_may_edit_or_delete_it(
    api: Api, engine: Engine
) -> None:
    # given a course Grace teaches
    await signed_in_teacher(api, engine, "grace")
    course_id = await new_course(api)
    # when another teacher tries to change or delete it
    await signed_in_teacher(api, engine, "alan")
    changed = await api.data(UPDATE, {"id": course_id, "input": {"title": "Taken"}})
    deleted = await api.data(DELETE, {"id": course_id})
    # then both are forbidden and the course is untouched
    assert codes(changed["updateCourse"]) == [("id", "FORBIDDEN")]
    assert codes(deleted["deleteCourse"]) == [("id", "FORBIDDEN")]
    assert count(engine, "courses", "title = 'Data structures' AND version = 1") == 1
    # when an admin changes it, then the version goes up and an update event is recorded
    await api.sign_in("admin", "admin-password")
    admin = await api.data(UPDATE, {"id": course_id, "input": {"description": "New"}})
    assert admin["updateCourse"]["errors"] == []
    assert admin["updateCourse"]["course"]["description"] == "New"
    assert count(engine, "courses", "version = 2") == 1
    assert events(engine, "course")[-1] == ("entity_updated", course_id)


async def test_the_teacher_renames_a_course_and_unknown_ids_are_refused_as_not_theirs(
    api: Api, engine: Engine
) -> None:
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    renamed = await api.data(UPDATE, {"id": course_id, "input": {"title": "Trees"}})
    assert renamed["updateCourse"]["course"] == {
        "id": course_id,
        "title": "Trees",
        "description": "d",
    }
    missing = (await api.data(UPDATE, {"id": "nope", "input": {"title": "X"}}))["updateCourse"]
    empty = (await api.data(UPDATE, {"id": course_id, "input": {"title": ""}}))["updateCourse"]
    assert codes(missing) == [("id", "FORBIDDEN")]
    assert codes(empty) == [("title", "VALIDATION")]
    assert count(engine, "courses", "title = 'Trees' AND version = 2") == 1


async def test_importing_a_structure_writes_it_in_order_with_shared_skills(
    api: Api, engine: Engine
) -> None:
    # given a course and the concepts the structure names
    make_concept(engine, "arrays")
    make_concept(engine, "hash_tables")
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    # when its structure is imported
    data = await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE})
    # then chapters and theories come back in order, skills shared by name
    payload = data["importCourseStructure"]
    assert payload["errors"] == []
    assert payload["syncToken"]
    chapters = payload["course"]["chapters"]
    assert [c["name"] for c in chapters] == ["Foundations", "Algorithms"]
    assert [t["name"] for t in chapters[0]["theories"]] == ["Lists", "Maps"]
    assert [s["name"] for s in chapters[0]["theories"][0]["skills"]] == ["indexing", "slicing"]
    assert chapters[1]["theories"][0]["skills"] == [chapters[0]["theories"][0]["skills"][0]]
    assert count(engine, "skills") == 3
    # and every new node is announced, and the course's version went up
    for entity_type, expected in (
        ("chapter", 2),
        ("theory", 3),
        ("reading", 1),
        ("video", 1),
        ("skill", 3),
    ):
        assert len(events(engine, entity_type)) == expected, entity_type
    assert count(engine, "courses", "version = 2") == 1
    assert count(engine, "video_concepts") == 1
    assert count(engine, "theory_concepts") == 2


async def test_a_second_import_replaces_the_structure_as_a_whole(api: Api, engine: Engine) -> None:
    # given a course with an imported structure
    make_concept(engine, "arrays")
    make_concept(engine, "hash_tables")
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    first = await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE})
    old_chapters = [c["id"] for c in first["importCourseStructure"]["course"]["chapters"]]
    # when a smaller structure is imported
    smaller = [{"name": "Only", "theories": [{"name": "One", "skills": ["slicing", "new_skill"]}]}]
    second = await api.data(IMPORT, {"courseId": course_id, "chapters": smaller})
    # then only the new structure is left, old nodes are announced deleted, skills survive
    chapters = second["importCourseStructure"]["course"]["chapters"]
    assert [c["name"] for c in chapters] == ["Only"]
    assert count(engine, "chapters") == 1
    assert count(engine, "theories") == 1
    assert count(engine, "readings") + count(engine, "videos") == 0
    assert count(engine, "skills") == 4
    deleted = [e for e in events(engine, "chapter") if e[0] == "entity_deleted"]
    assert sorted(entity_id for _, entity_id in deleted) == sorted(old_chapters)
    assert len([e for e in events(engine, "theory") if e[0] == "entity_deleted"]) == 3
    assert len([e for e in events(engine, "video") if e[0] == "entity_deleted"]) == 1
    assert count(engine, "courses", "version = 3") == 1


async def test_an_unknown_concept_name_is_named_and_nothing_is_written(
    api: Api, engine: Engine
) -> None:
    make_concept(engine, "arrays")
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    before = count(engine, "outbox_events")
    payload = (await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE}))[
        "importCourseStructure"
    ]
    assert payload["course"] is None
    assert codes(payload) == [("chapters[0].theories[1].conceptNames[0]", "NOT_FOUND")]
    assert count(engine, "chapters") + count(engine, "skills") == 0
    assert count(engine, "outbox_events") == before
    assert count(engine, "courses", "version = 1") == 1


async def test_bad_structure_input_names_each_field(api: Api, engine: Engine) -> None:
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    bad = [
        {"name": "", "theories": []},
        {
            "name": "Fine",
            "theories": [
                {"name": "T", "skills": [" "], "readings": [{"title": "R", "url": "ftp://x"}]}
            ],
        },
    ]
    payload = (await api.data(IMPORT, {"courseId": course_id, "chapters": bad}))[
        "importCourseStructure"
    ]
    assert codes(payload) == [
        ("chapters[0].name", "VALIDATION"),
        ("chapters[1].theories[0].skills[0]", "VALIDATION"),
        ("chapters[1].theories[0].readings[0].url", "VALIDATION"),
    ]
    too_many = [{"name": f"c{i}"} for i in range(101)]
    limited = await api.data(IMPORT, {"courseId": course_id, "chapters": too_many})
    assert codes(limited["importCourseStructure"]) == [("chapters", "VALIDATION")]
    assert count(engine, "chapters") == 0


async def test_another_teacher_cannot_import_a_structure(api: Api, engine: Engine) -> None:
    await signed_in_teacher(api, engine, "grace")
    course_id = await new_course(api)
    await signed_in_teacher(api, engine, "alan")
    chapters = [{"name": "Mine"}]
    payload = await api.data(IMPORT, {"courseId": course_id, "chapters": chapters})
    assert codes(payload["importCourseStructure"]) == [("courseId", "FORBIDDEN")]
    assert count(engine, "chapters") == 0


async def test_deleting_a_course_removes_its_structure_and_announces_every_node(
    api: Api, engine: Engine
) -> None:
    # given a course with a structure and a student in it
    make_concept(engine, "arrays")
    make_concept(engine, "hash_tables")
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE})
    # when its teacher deletes it
    payload = (await api.data(DELETE, {"id": course_id}))["deleteCourse"]
    # then the rows are gone and a delete event names every node that went with it
    assert payload == {"deletedId": course_id, "syncToken": payload["syncToken"], "errors": []}
    assert payload["syncToken"]
    assert count(engine, "courses") + count(engine, "chapters") + count(engine, "theories") == 0
    assert count(engine, "skills") == 3
    assert events(engine, "course")[-1] == ("entity_deleted", course_id)
    for entity_type, expected in (("chapter", 2), ("theory", 3), ("reading", 1), ("video", 1)):
        gone = [e for e in events(engine, entity_type) if e[0] == "entity_deleted"]
        assert len(gone) == expected, entity_type


async def test_a_student_joins_once_and_leaves(api: Api, engine: Engine) -> None:
    # given a course and a signed-in student
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    student_id = make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    # when she joins twice
    first = (await api.data(JOIN, {"courseId": course_id}))["joinCourse"]
    second = (await api.data(JOIN, {"courseId": course_id}))["joinCourse"]
    # then she is enrolled once, with one relationship event
    assert first["course"] == {"id": course_id, "title": "Data structures"}
    assert first["syncToken"]
    assert second["errors"] == []
    assert second["course"]["id"] == course_id
    assert count(engine, "course_enrollments") == 1
    key = f"{course_id}:{student_id}"
    assert events(engine, "course_enrollment") == [("relationship_created", key)]
    # when she leaves, then the row goes and a delete event is recorded; leaving again is not found
    left = (await api.data(LEAVE, {"courseId": course_id}))["leaveCourse"]
    again = (await api.data(LEAVE, {"courseId": course_id}))["leaveCourse"]
    assert left["errors"] == []
    assert count(engine, "course_enrollments") == 0
    assert events(engine, "course_enrollment")[-1] == ("relationship_deleted", key)
    assert codes(again) == [("courseId", "NOT_FOUND")]


async def test_only_students_join_courses_and_only_existing_ones(api: Api, engine: Engine) -> None:
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    teacher = (await api.data(JOIN, {"courseId": course_id}))["joinCourse"]
    assert codes(teacher) == [(None, "FORBIDDEN")]
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    missing = "00000000-0000-0000-0000-000000000000"
    unknown = (await api.data(JOIN, {"courseId": missing}))["joinCourse"]
    assert codes(unknown) == [("courseId", "NOT_FOUND")]
    assert count(engine, "course_enrollments") == 0


async def test_the_course_query_returns_the_whole_tree_from_sql(api: Api, engine: Engine) -> None:
    # given a course with a structure and an enrolled student
    arrays = make_concept(engine, "arrays")
    make_concept(engine, "hash_tables")
    teacher_id = await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE})
    student_id = make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    await api.data(JOIN, {"courseId": course_id})
    # when anyone reads the course
    course = (await api.data(COURSE, {"id": course_id}))["course"]
    # then the tree has the imported shape
    assert course["teacher"] == {"id": teacher_id, "username": "grace"}
    assert course["students"] == [{"id": str(student_id), "username": "ada"}]
    assert [(c["name"], c["order"]) for c in course["chapters"]] == [
        ("Foundations", 0),
        ("Algorithms", 1),
    ]
    lists = course["chapters"][0]["theories"][0]
    assert lists["summary"] == "Ordered items"
    assert lists["concepts"] == [{"id": str(arrays), "name": "arrays"}]
    assert lists["readings"][0]["url"] == "https://example.org/lists"
    assert lists["readings"][0]["concepts"] == []
    assert lists["videos"][0]["concepts"] == [{"name": "arrays"}]
    assert course["chapters"][1]["theories"][0]["readings"] == []
    assert (await api.data(COURSE, {"id": "not-an-id"}))["course"] is None


async def test_the_student_list_is_for_the_teacher_and_admins_others_see_only_themselves(
    api: Api, engine: Engine
) -> None:
    # given a course with two enrolled students
    await signed_in_teacher(api, engine)
    course_id = await new_course(api)
    enrolled = {}
    for name in ("ada", "alan"):
        enrolled[name] = str(make_user(engine, name))
        await api.sign_in(name, PASSWORD)
        await api.data(JOIN, {"courseId": course_id})
    make_user(engine, "eve")

    async def students_seen_by(username: str | None) -> list[str]:
        api.token = None
        if username:
            await api.sign_in(username, PASSWORD)
        course = (await api.data(COURSE, {"id": course_id}))["course"]
        return [student["username"] for student in course["students"]]

    # then the teacher and an admin see both, a student only herself, others nobody
    assert await students_seen_by("grace") == ["ada", "alan"]
    api.token = None
    await api.sign_in("admin", "admin-password")
    assert [
        s["username"] for s in (await api.data(COURSE, {"id": course_id}))["course"]["students"]
    ] == ["ada", "alan"]
    assert await students_seen_by("alan") == ["alan"]
    assert await students_seen_by("eve") == []
    assert await students_seen_by(None) == []


def statements_while(api: Api) -> list[str]:
    """The SQL statements the app's engine runs from now on (appended as they run)."""
    app = api.client._transport.app  # type: ignore[attr-defined]  # the ASGI app under test
    engine = app.state.resources.engine.sync_engine
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", note)
    return seen


async def test_the_course_tree_costs_the_same_statements_whatever_its_size(
    api: Api, engine: Engine
) -> None:
    # given a small course and a course three times its size
    make_concept(engine, "arrays")
    make_concept(engine, "hash_tables")
    await signed_in_teacher(api, engine)
    small, large = await new_course(api, "Small"), await new_course(api, "Large")
    await api.data(IMPORT, {"courseId": small, "chapters": STRUCTURE})
    await api.data(IMPORT, {"courseId": large, "chapters": STRUCTURE * 3})
    # when each tree is read
    seen = statements_while(api)
    await api.data(COURSE, {"id": small})
    small_cost = len(seen)
    await api.data(COURSE, {"id": large})
    # then both cost one statement per level (the caller's token was confirmed by an earlier
    # request and is cached, so it costs none here)
    assert small_cost == len(seen) - small_cost == 11


COURSES = """
query Courses($first: Int, $after: String) {
  courses(first: $first, after: $after) {
    totalCount
    edges { cursor node { id title } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_courses_are_listed_by_title_a_page_at_a_time(api: Api, engine: Engine) -> None:
    # given three courses
    await signed_in_teacher(api, engine)
    for title in ("Graphs", "Arrays", "Trees"):
        await new_course(api, title)
    # when they are read two at a time
    first = (await api.data(COURSES, {"first": 2}))["courses"]
    after = first["pageInfo"]["endCursor"]
    rest = (await api.data(COURSES, {"first": 2, "after": after}))["courses"]
    # then the pages follow the titles' order
    assert first["totalCount"] == 3
    assert [e["node"]["title"] for e in first["edges"]] == ["Arrays", "Graphs"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["title"] for e in rest["edges"]] == ["Trees"]
    assert rest["pageInfo"]["hasNextPage"] is False
