"""SQL subtrees read as one JSON value: a list, its items and their nested SQL fields in one
statement, whatever the selection's shape (aliases, fragments) and size, with the same answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_concept, make_path, make_user, scalar
from tests.support.statements import counted_statements

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import Engine

    from tests.support.api import Api

PATH = operation("LearningPath")

PAGE = """
    progress(first: $first, after: $after) {
      totalCount
      edges { cursor node { status updatedAt completedAt ...On } }
      pageInfo { hasNextPage endCursor }
    }
"""
ON = """
fragment On on ConceptProgress {
  percent: progressPercent
  concept { id name label: displayName keyTerms }
  concept { difficulty }
}
"""
PROGRESS = f"query Mine($first: Int, $after: String) {{ me {{ {PAGE} }} }} {ON}"
USER_PROGRESS = f"""
query Theirs($id: ID!, $first: Int, $after: String) {{ user(id: $id) {{ {PAGE} }} }} {ON}
"""

CONCEPTS = """
query Page($first: Int, $after: String, $filter: ConceptFilter) {
  concepts(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { node { name difficulty synonyms ... on Concept { myProgress { status } } } }
    pageInfo { hasNextPage }
  }
}
"""

START = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)


def record_progress(
    engine: Engine, learner: uuid.UUID, concept: uuid.UUID, status: str, minutes: int
) -> None:
    """Progress updated `minutes` after START (whole seconds, so the answer shows no fraction)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO concept_progress (user_id, concept_id, status, progress_percent,"
                " mastery_score, time_spent_seconds, version, updated_at)"
                " VALUES (:user, :concept, :status, 12.5, 0.25, 0, 1, :at)"
            ),
            {
                "user": learner,
                "concept": concept,
                "status": status,
                "at": START + timedelta(minutes=minutes),
            },
        )


def progress_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "concept_progress" in s]


async def test_a_progress_page_with_its_concepts_is_one_statement_for_5_and_for_50_rows(
    api: Api, engine: Engine
) -> None:
    # given a learner with 5 progress rows and one with 50, each on its own concepts
    learners = {}
    for username, size in (("few", 5), ("many", 50)):
        learners[username] = make_user(engine, username)
        for index in range(size):
            concept = make_concept(engine, f"{username}_{index:02}")
            record_progress(engine, learners[username], concept, "in_progress", minutes=index)
    for username, size in (("few", 5), ("many", 50)):
        # when an admin reads each one's progress through aliases and fragments
        await api.sign_in("admin", "admin-password")
        with counted_statements() as statements:
            theirs = await api.data(USER_PROGRESS, {"id": str(learners[username]), "first": 100})
        page = theirs["user"]["progress"]
        # then the page, its total and every concept came from one statement
        assert len(progress_statements(statements)) == 1
        assert page["totalCount"] == size
        newest = page["edges"][0]["node"]
        assert newest == {
            "status": "IN_PROGRESS",
            "updatedAt": (START + timedelta(minutes=size - 1)).isoformat(),
            "completedAt": None,
            "percent": 12.5,
            "concept": {
                "id": newest["concept"]["id"],
                "name": f"{username}_{size - 1:02}",
                "label": f"{username}_{size - 1:02}".title(),
                "keyTerms": [],
                "difficulty": "BEGINNER",
            },
        }
        names = [edge["node"]["concept"]["name"] for edge in page["edges"]]
        assert names == [f"{username}_{index:02}" for index in reversed(range(size))]
        # and the learner reading their own page through `me` gets the same answer
        await api.sign_in(username, PASSWORD)
        assert (await api.data(PROGRESS, {"first": 100}))["me"]["progress"] == page


async def test_a_progress_page_continues_after_its_cursor(api: Api, engine: Engine) -> None:
    # given a learner with three progress rows
    learner = make_user(engine, "ada")
    for index in range(3):
        record_progress(engine, learner, make_concept(engine, f"c{index}"), "completed", index)
    await api.sign_in("admin", "admin-password")
    # when the second page of one row is read
    wanted = {"id": str(learner), "first": 1}
    first = (await api.data(USER_PROGRESS, wanted))["user"]["progress"]
    after = first["pageInfo"]["endCursor"]
    second = (await api.data(USER_PROGRESS, {**wanted, "after": after}))["user"]["progress"]
    # then it holds the next row, and says that one more follows
    assert [e["node"]["concept"]["name"] for e in second["edges"]] == ["c1"]
    assert (second["totalCount"], second["pageInfo"]["hasNextPage"]) == (3, True)


async def test_the_concepts_page_carries_the_callers_progress_from_one_statement(
    api: Api, engine: Engine
) -> None:
    # given three concepts and a learner with progress on the second
    alpha, beta, _ = (make_concept(engine, name) for name in ("alpha", "beta", "gamma"))
    learner = make_user(engine, "ada")
    record_progress(engine, learner, beta, "mastered", minutes=0)
    await api.sign_in("ada", PASSWORD)
    # when the learner reads the first page of two
    with counted_statements() as statements:
        page = (await api.data(CONCEPTS, {"first": 2}))["concepts"]
    # then the page, its count and the learner's progress came from one statement
    assert len([s for s in statements if "concepts" in s]) == 1
    assert page == {
        "totalCount": 3,
        "edges": [
            {
                "node": {
                    "name": "alpha",
                    "difficulty": "BEGINNER",
                    "synonyms": [],
                    "myProgress": None,
                }
            },
            {
                "node": {
                    "name": "beta",
                    "difficulty": "BEGINNER",
                    "synonyms": [],
                    "myProgress": {"status": "MASTERED"},
                }
            },
        ],
        "pageInfo": {"hasNextPage": True},
    }
    # and a visitor sees no progress anywhere
    api.token = None
    page = (await api.data(CONCEPTS, {"first": 2}))["concepts"]
    assert [edge["node"]["myProgress"] for edge in page["edges"]] == [None, None]
    assert alpha


async def test_a_page_past_the_end_and_a_narrowed_page_still_count_what_matches(
    api: Api, engine: Engine
) -> None:
    # given three concepts, one of them advanced
    for name in ("alpha", "beta", "gamma"):
        make_concept(engine, name)
    with engine.begin() as connection:
        connection.execute(text("UPDATE concepts SET difficulty = 'advanced' WHERE name = 'beta'"))
    # when a page after the last concept, and the advanced ones matching a search, are read
    with counted_statements() as statements:
        past = (await api.data(CONCEPTS, {"first": 2, "after": "bzoxMA=="}))["concepts"]
    narrowed = {"difficulty": "ADVANCED", "search": "ET"}
    found = (await api.data(CONCEPTS, {"filter": narrowed}))["concepts"]
    # then the empty page still says how many there are, in one statement
    assert (past["totalCount"], past["edges"], len(statements)) == (3, [], 1)
    assert [edge["node"]["name"] for edge in found["edges"]] == ["beta"]
    assert found["totalCount"] == 1


async def test_a_path_the_callers_enrollment_and_its_items_are_one_statement(
    api: Api, engine: Engine
) -> None:
    # given a path of two concepts the graph does not hold yet, and an enrolled learner
    first, second = make_concept(engine, "first"), make_concept(engine, "second")
    path = make_path(engine, "Letters", required=[second], optional=[first])
    learner = make_user(engine, "ada")
    record_progress(engine, learner, second, "completed", minutes=0)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO path_enrollments (user_id, path_id, status, progress_percent, version)"
                " VALUES (:user, :path, 'in_progress', 50, 1)"
            ),
            {"user": learner, "path": path},
        )
    await api.sign_in("ada", PASSWORD)
    # when the learner reads the contract's LearningPath
    with counted_statements() as statements:
        found = (await api.data(PATH, {"id": str(path)}))["learningPath"]
    # then the path with the enrollment, its items, their concepts and the caller's progress
    # are one statement (besides the check of the caller's token)
    read = [s for s in statements if "learning_path" in s]
    assert len(read) == 1
    assert len([s for s in statements if "FROM users" not in s]) == 1
    assert found["myEnrollment"] == {"status": "IN_PROGRESS", "progressPercent": 50.0}
    assert [
        (
            item["orderIndex"],
            item["isRequired"],
            item["concept"]["name"],
            item["concept"]["myProgress"],
        )
        for item in found["concepts"]
    ] == [(0, True, "second", {"status": "COMPLETED"}), (1, False, "first", None)]
    assert scalar(engine, "SELECT count(*) FROM path_enrollments") == 1


async def test_each_document_reads_what_it_selects_however_often_it_is_sent(
    api: Api, engine: Engine
) -> None:
    # given a concept
    make_concept(engine, "alpha")
    short = "{ concepts { edges { node { name } } } }"
    longer = "{ concepts { edges { node { name ... on Concept { displayName version } } } } }"
    # when a short selection is sent twice, then a longer one of the same field, then the first
    answers = [await api.data(document) for document in (short, short, longer, short)]
    # then each answers exactly what it selected
    nodes = [answer["concepts"]["edges"][0]["node"] for answer in answers]
    assert nodes == [
        {"name": "alpha"},
        {"name": "alpha"},
        {"name": "alpha", "displayName": "Alpha", "version": 1},
        {"name": "alpha"},
    ]
