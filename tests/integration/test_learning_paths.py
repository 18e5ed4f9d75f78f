"""Learning paths: authoring them with ordered concepts, and reading them in batches."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_path, make_user, scalar
from tests.support.statements import counted_statements

if TYPE_CHECKING:
    from tests.support.api import Api

CREATE = operation("CreateLearningPath")

SET_CONCEPTS = operation("SetLearningPathConcepts")

DELETE = operation("DeleteLearningPath")

PATHS = operation("LearningPaths")

PATH = operation("LearningPath")

PATH_CONTENTS = """
query PathContents($first: Int) {
  learningPaths(first: $first) { edges { node { title concepts { concept { name } } } } }
}
"""


def path_events(engine: Engine) -> list[tuple[str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT event_type, entity_id, source_version FROM outbox_events"
                " WHERE entity_type = 'learning_path' ORDER BY seq"
            )
        )
        return [(row[0], row[1], row[2]) for row in rows]


def codes(errors: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in errors]


def items(*concepts: uuid.UUID, optional: tuple[uuid.UUID, ...] = ()) -> list[dict[str, Any]]:
    given = [{"conceptId": str(c)} for c in concepts]
    return given + [{"conceptId": str(c), "isRequired": False} for c in optional]


def new_path(*concepts: uuid.UUID, **more: Any) -> dict[str, Any]:
    fields = {"title": "Foundations", "difficulty": "BEGINNER", "items": items(*concepts)}
    return {"input": {**fields, **more}}


async def as_teacher(api: Api, engine: Engine) -> None:
    """Signs in a teacher who created every path made so far (teachers change their own)."""
    tess = make_user(engine, "tess", role="teacher")
    with engine.begin() as connection:
        connection.execute(text("UPDATE learning_paths SET created_by = :tess"), {"tess": tess})
    await api.sign_in("tess", PASSWORD)


# ---------------------------------------------------------------- createLearningPath


async def test_a_teacher_creates_a_path_whose_items_keep_their_order(
    api: Api, engine: Engine
) -> None:
    # given three concepts and a teacher
    a, b, c = (make_concept(engine, name) for name in ("a", "b", "c"))
    await as_teacher(api, engine)
    # when a path lists c, a, then b as optional
    sent = {"input": {**new_path()["input"], "items": items(c, a, optional=(b,))}}
    payload = (await api.data(CREATE, sent))["createLearningPath"]
    # then its concepts come back in that order, numbered from 0, and the graph hears of it
    assert payload["errors"] == []
    assert payload["syncToken"]
    assert payload["path"]["title"] == "Foundations"
    assert [
        (i["orderIndex"], i["isRequired"], i["concept"]["name"])
        for i in payload["path"]["concepts"]
    ] == [(0, True, "c"), (1, True, "a"), (2, False, "b")]
    assert path_events(engine) == [("entity_created", payload["path"]["id"], 1)]


async def test_unknown_and_repeated_concepts_are_named_and_nothing_is_written(
    api: Api, engine: Engine
) -> None:
    a = make_concept(engine, "a")
    await as_teacher(api, engine)
    unknown = (await api.data(CREATE, new_path(a, uuid.uuid4())))["createLearningPath"]
    twice = (await api.data(CREATE, new_path(a, a)))["createLearningPath"]
    malformed = {"input": {**new_path()["input"], "items": [{"conceptId": "x"}]}}
    bad_id = (await api.data(CREATE, malformed))["createLearningPath"]
    assert codes(unknown["errors"]) == [("items[1].conceptId", "NOT_FOUND")]
    assert codes(twice["errors"]) == [("items[1].conceptId", "VALIDATION")]
    assert codes(bad_id["errors"]) == [("items[0].conceptId", "NOT_FOUND")]
    assert unknown["path"] is None
    assert count(engine, "learning_paths") == 0
    assert count(engine, "learning_path_items") == 0
    assert path_events(engine) == []


async def test_bad_fields_and_a_taken_title_are_refused(api: Api, engine: Engine) -> None:
    a = make_concept(engine, "a")
    await as_teacher(api, engine)
    assert (await api.data(CREATE, new_path(a)))["createLearningPath"]["errors"] == []
    taken = (await api.data(CREATE, new_path(a)))["createLearningPath"]
    bad = new_path(a, title=" ", estimatedHours=-1)
    invalid = (await api.data(CREATE, bad))["createLearningPath"]
    assert codes(taken["errors"]) == [("title", "DUPLICATE")]
    assert sorted(codes(invalid["errors"])) == [
        ("estimatedHours", "VALIDATION"),
        ("title", "VALIDATION"),
    ]
    endless = (await api.data(CREATE, new_path(a, estimatedHours=1e308)))["createLearningPath"]
    assert codes(endless["errors"]) == [("estimatedHours", "VALIDATION")]
    assert count(engine, "learning_paths") == 1
    assert count(engine, "learning_path_items") == 1


async def test_only_authors_create_paths(api: Api, engine: Engine) -> None:
    a = make_concept(engine, "a")
    anonymous = (await api.data(CREATE, new_path(a)))["createLearningPath"]
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    student = (await api.data(CREATE, new_path(a)))["createLearningPath"]
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    assert [e["code"] for e in student["errors"]] == ["FORBIDDEN"]
    assert count(engine, "learning_paths") == 0


# ---------------------------------------------------------------- setLearningPathConcepts


async def test_setting_a_paths_concepts_replaces_them_and_bumps_its_version(
    api: Api, engine: Engine
) -> None:
    # given a path a, b
    a, b, c = (make_concept(engine, name) for name in ("a", "b", "c"))
    path = make_path(engine, "Letters", required=[a, b])
    await as_teacher(api, engine)
    # when its concepts become b, c, a (a optional)
    sent = {"id": str(path), "items": items(b, c, optional=(a,))}
    payload = (await api.data(SET_CONCEPTS, sent))["setLearningPathConcepts"]
    # then they are replaced in that order, at the next version
    assert payload["errors"] == []
    assert [
        (i["orderIndex"], i["isRequired"], i["concept"]["name"])
        for i in payload["path"]["concepts"]
    ] == [(0, True, "b"), (1, True, "c"), (2, False, "a")]
    assert scalar(engine, "SELECT version FROM learning_paths") == 2
    assert path_events(engine) == [("entity_updated", str(path), 2)]


async def test_setting_bad_items_keeps_the_old_ones(api: Api, engine: Engine) -> None:
    a, b = make_concept(engine, "a"), make_concept(engine, "b")
    path = make_path(engine, "Letters", required=[a, b])
    await as_teacher(api, engine)
    sent = {"id": str(path), "items": items(b, uuid.uuid4())}
    payload = (await api.data(SET_CONCEPTS, sent))["setLearningPathConcepts"]
    unknown = {"id": str(uuid.uuid4()), "items": items(a)}
    missing = (await api.data(SET_CONCEPTS, unknown))["setLearningPathConcepts"]
    assert codes(payload["errors"]) == [("items[1].conceptId", "NOT_FOUND")]
    assert codes(missing["errors"]) == [("id", "FORBIDDEN")]  # as for another teacher's path
    assert count(engine, "learning_path_items") == 2
    assert scalar(engine, "SELECT version FROM learning_paths") == 1
    assert path_events(engine) == []


async def test_only_authors_set_a_paths_concepts(api: Api, engine: Engine) -> None:
    a = make_concept(engine, "a")
    path = make_path(engine, "Letters", required=[a])
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    sent = {"id": str(path), "items": []}
    payload = (await api.data(SET_CONCEPTS, sent))["setLearningPathConcepts"]
    assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]
    assert count(engine, "learning_path_items") == 1


# ---------------------------------------------------------------- deleteLearningPath


async def test_deleting_a_path_removes_its_items_and_tells_the_graph(
    api: Api, engine: Engine
) -> None:
    # given a path with a concept and an enrolled learner
    a = make_concept(engine, "a")
    path = make_path(engine, "Letters", required=[a])
    sam = make_user(engine, "sam")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO path_enrollments (user_id, path_id, status, progress_percent)"
                " VALUES (:u, :p, 'in_progress', 10)"
            ),
            {"u": sam, "p": path},
        )
    await as_teacher(api, engine)
    # when the path is deleted
    payload = (await api.data(DELETE, {"id": str(path)}))["deleteLearningPath"]
    # then it goes with its items and enrollment, and the graph hears of both
    assert (payload["deletedId"], payload["errors"]) == (str(path), [])
    assert payload["syncToken"]
    assert count(engine, "learning_paths") == 0
    assert count(engine, "learning_path_items") == 0
    assert count(engine, "concepts") == 1
    assert path_events(engine) == [("entity_deleted", str(path), 2)]
    assert count(engine, "path_enrollments") == 0
    enrollment = "SELECT entity_id FROM outbox_events WHERE entity_type = 'path_enrollment'"
    assert scalar(engine, enrollment) == f"{sam}:{path}"


async def test_deleting_needs_the_paths_author_and_a_known_path(api: Api, engine: Engine) -> None:
    path = make_path(engine, "Letters", required=[])
    make_user(engine, "sam")
    await api.sign_in("sam", PASSWORD)
    forbidden = (await api.data(DELETE, {"id": str(path)}))["deleteLearningPath"]
    await as_teacher(api, engine)
    unknown = (await api.data(DELETE, {"id": "nope"}))["deleteLearningPath"]
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    assert codes(unknown["errors"]) == [("id", "FORBIDDEN")]  # as for another teacher's path
    assert count(engine, "learning_paths") == 1


# ---------------------------------------------------------------- queries


async def test_learning_paths_page_by_title_with_batched_concept_counts(
    api: Api, engine: Engine
) -> None:
    # given three paths of 2, 1 and 0 concepts
    a, b = make_concept(engine, "a"), make_concept(engine, "b")
    make_path(engine, "Beta", required=[a, b])
    make_path(engine, "Alpha", required=[b])
    make_path(engine, "Gamma", required=[])
    # when they are read two at a time
    with counted_statements() as statements:
        first = (await api.data(PATHS, {"first": 2}))["learningPaths"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await api.data(PATHS, {"first": 2, "after": cursor}))["learningPaths"]
    # then titles come in order with their counts: a count, a page and one batch of counts
    assert [(e["node"]["title"], e["node"]["conceptCount"]) for e in first["edges"]] == [
        ("Alpha", 1),
        ("Beta", 2),
    ]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (3, True)
    assert [(e["node"]["title"], e["node"]["conceptCount"]) for e in second["edges"]] == [
        ("Gamma", 0)
    ]
    assert second["pageInfo"]["hasNextPage"] is False
    assert len(statements) == 3


async def test_every_paths_concepts_come_from_one_batched_query(api: Api, engine: Engine) -> None:
    # given five paths of two concepts each
    a, b = make_concept(engine, "a"), make_concept(engine, "b")
    for index in range(5):
        make_path(engine, f"Path {index}", required=[b, a])
    # when every path's concepts are read
    with counted_statements() as statements:
        found = (await api.data(PATH_CONTENTS, {"first": 10}))["learningPaths"]["edges"]
    # then each path lists b then a, from a count, a page and one items query
    assert [[i["concept"]["name"] for i in e["node"]["concepts"]] for e in found] == [
        ["b", "a"]
    ] * 5
    assert len(statements) == 3


async def test_a_path_is_read_by_id_with_its_ordered_concepts(api: Api, engine: Engine) -> None:
    a, b = make_concept(engine, "a"), make_concept(engine, "b")
    path = make_path(engine, "Letters", required=[b], optional=[a])
    found = (await api.data(PATH, {"id": str(path)}))["learningPath"]
    assert (found["title"], found["difficulty"], found["myEnrollment"]) == (
        "Letters",
        "BEGINNER",
        None,
    )
    assert [
        (i["orderIndex"], i["isRequired"], i["concept"]["name"]) for i in found["concepts"]
    ] == [
        (0, True, "b"),
        (1, False, "a"),
    ]
    assert (await api.data(PATH, {"id": str(uuid.uuid4())}))["learningPath"] is None
    assert (await api.data(PATH, {"id": "nope"}))["learningPath"] is None


PATH_PROGRESS = """
query PathProgress($id: ID!) {
  learningPath(id: $id) { concepts { concept { name ...Mine } } }
}
fragment Mine on Concept { myProgress { status progressPercent } }
"""


async def test_a_learner_sees_their_progress_on_every_concept_of_a_path_from_one_read(
    api: Api, engine: Engine
) -> None:
    # given a path of three concepts, and a learner with progress on two of them
    a, b, c = (make_concept(engine, name) for name in ("a", "b", "c"))
    path = make_path(engine, "Letters", required=[a, b, c])
    learner = make_user(engine, "ada")
    for concept, status, percent in ((a, "completed", 100), (c, "in_progress", 40)):
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO concept_progress (user_id, concept_id, status, progress_percent,"
                    " mastery_score, time_spent_seconds, version)"
                    " VALUES (:user, :concept, :status, :percent, 0, 0, 1)"
                ),
                {"user": learner, "concept": concept, "status": status, "percent": percent},
            )
    await api.sign_in("ada", PASSWORD)
    # when the learner reads the path, asking for their progress through a fragment
    with counted_statements() as statements:
        found = (await api.data(PATH_PROGRESS, {"id": str(path)}))["learningPath"]
    # then each concept carries the learner's own progress, or null where there is none
    assert [(i["concept"]["name"], i["concept"]["myProgress"]) for i in found["concepts"]] == [
        ("a", {"status": "COMPLETED", "progressPercent": 100.0}),
        ("b", None),
        ("c", {"status": "IN_PROGRESS", "progressPercent": 40.0}),
    ]
    # and the progress of all three came from one statement
    assert len([s for s in statements if "FROM concept_progress" in s]) == 1
    # and a visitor reads the same path with no progress anywhere
    api.token = None
    found = (await api.data(PATH_PROGRESS, {"id": str(path)}))["learningPath"]
    assert [i["concept"]["myProgress"] for i in found["concepts"]] == [None, None, None]
