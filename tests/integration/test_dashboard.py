"""A learner's day over the API, then the dashboard's figures, lists and their SQL cost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_concept, make_path, make_user
from tests.support.statements import counted_statements

if TYPE_CHECKING:
    from tests.support.api import Api

# The contract's Dashboard without recommendations, pathRecommendations and skillMastery,
# which other areas answer (graph recommendations, skills).
DASHBOARD = """
query Dashboard {
  me {
    id
    username
    role
    dashboard { conceptsAvailable averageCompletion timeSpentSeconds streakDays completedCount masteredCount }
    progress(first: 50) {
      totalCount
      edges { node { concept { id name displayName } status progressPercent masteryScore updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
    quizAttempts(first: 10) { edges { node { id quiz { id title } score maxScore passed submittedAt } } }
    achievements { achievement { code title } awardedAt }
    enrolledPaths { path { id title } status progressPercent }
  }
}
"""

RECORD = operation("RecordProgress")

CREATE_QUIZ = operation("CreateQuiz")

SUBMIT = operation("SubmitQuizAttempt")

ENROLL = operation("EnrollInPath")

USER_VIEWS = """
query User($id: ID!) {
  user(id: $id) { id dashboard { completedCount } progress(first: 5) { totalCount } achievements { awardedAt } }
}
"""


async def record(api: Api, concept_id: Any, status: str, percent: float, seconds: int = 0) -> None:
    given = {
        "conceptId": str(concept_id),
        "status": status,
        "progressPercent": percent,
        "timeSpentSeconds": seconds,
    }
    payload = (await api.data(RECORD, {"input": given}))["recordProgress"]
    assert payload["errors"] == [], payload["errors"]


async def test_a_learners_day_adds_up_on_the_dashboard(api: Api, engine: Engine) -> None:
    # given concepts a -> b -> c (prerequisites) and a free-standing d, a quiz on a, a path
    a = make_concept(engine, "arrays")
    b = make_concept(engine, "lists", prerequisites=[a])
    make_concept(engine, "trees", prerequisites=[b])
    d = make_concept(engine, "sets")
    path = make_path(engine, "Basics", required=[a, b])
    make_user(engine, "tess", role="teacher")
    await api.sign_in("tess", PASSWORD)
    question = {
        "prompt": "Index of the first element?",
        "kind": "SHORT_TEXT",
        "options": [],
        "correctAnswers": ["0"],
        "points": 1,
    }
    quiz_input = {
        "conceptId": str(a),
        "title": "Arrays",
        "passingScore": 100,
        "questions": [question],
    }
    quiz = (await api.data(CREATE_QUIZ, {"input": quiz_input}))["createQuiz"]["quiz"]
    # when a student enrolls, studies a for 20 minutes, passes its quiz and starts d
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    await api.data(ENROLL, {"pathId": str(path)})
    await record(api, a, "IN_PROGRESS", 50, seconds=1200)
    answers = [{"questionId": quiz["questions"][0]["id"], "answers": ["0"]}]
    await api.data(SUBMIT, {"quizId": quiz["id"], "answers": answers})
    await record(api, d, "IN_PROGRESS", 30, seconds=600)
    me = (await api.data(DASHBOARD))["me"]
    # then the figures add up
    assert me["dashboard"] == {
        "conceptsAvailable": 2,  # lists (arrays done) and sets; trees waits for lists
        "averageCompletion": 65.0,  # (100 + 30) / 2
        "timeSpentSeconds": 1800,
        "streakDays": 1,
        "completedCount": 1,
        "masteredCount": 0,
    }
    progress = me["progress"]
    assert progress["totalCount"] == 2
    assert [e["node"]["concept"]["name"] for e in progress["edges"]] == ["sets", "arrays"]
    assert progress["edges"][1]["node"]["masteryScore"] == 1
    assert progress["pageInfo"]["hasNextPage"] is False
    attempts = me["quizAttempts"]["edges"]
    assert [(n["node"]["quiz"]["title"], n["node"]["passed"]) for n in attempts] == [
        ("Arrays", True)
    ]
    assert [x["achievement"]["title"] for x in me["achievements"]] == ["First Steps", "Quiz Whiz"]
    assert me["enrolledPaths"] == [
        {
            "path": {"id": str(path), "title": "Basics"},
            "status": "IN_PROGRESS",
            "progressPercent": 50,
        }
    ]


async def test_a_streak_counts_consecutive_days_and_earns_on_a_roll(
    api: Api, engine: Engine
) -> None:
    # given a student who studied yesterday and the day before
    student = make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO learning_sessions"
                " (id, user_id, started_at, ended_at, last_activity_at, duration_seconds, source)"
                " SELECT gen_random_uuid(), :u, d, d + interval '60 seconds',"
                " d + interval '60 seconds', 60, 'progress'"
                " FROM generate_series(1, 2) AS n,"
                " LATERAL (SELECT now() - make_interval(days => n) AS d) AS s"
            ),
            {"u": student},
        )
    await api.sign_in("ada", PASSWORD)
    assert (await api.data(DASHBOARD))["me"]["dashboard"]["streakDays"] == 2
    # when she studies today
    await record(api, sets, "IN_PROGRESS", 10, seconds=60)
    me = (await api.data(DASHBOARD))["me"]
    # then the streak is three days and On a Roll is hers
    assert me["dashboard"]["streakDays"] == 3
    assert me["dashboard"]["timeSpentSeconds"] == 180
    assert [x["achievement"]["code"] for x in me["achievements"]] == ["three_day_streak"]


async def test_the_dashboard_costs_the_same_sql_however_many_rows(api: Api, engine: Engine) -> None:
    # given two students, one with 2 progress rows and one with 12
    make_user(engine, "few")
    make_user(engine, "many")
    concepts = [make_concept(engine, f"topic_{i}") for i in range(12)]
    costs = []
    for username, studied in (("few", concepts[:2]), ("many", concepts)):
        await api.sign_in(username, PASSWORD)
        for concept_id in studied:
            await record(api, concept_id, "COMPLETED", 100, seconds=30)
        # when each reads the dashboard
        with counted_statements() as statements:
            me = (await api.data(DASHBOARD))["me"]
        assert me["progress"]["totalCount"] == len(studied)
        costs.append(len(statements))
    # then the number of statements does not grow with the rows
    assert costs[0] == costs[1]
    assert costs[1] <= 12


async def test_another_learners_views_are_hidden_but_an_admin_sees_them(
    api: Api, engine: Engine
) -> None:
    ada = make_user(engine, "ada")
    sets = make_concept(engine, "sets")
    await api.sign_in("ada", PASSWORD)
    await record(api, sets, "COMPLETED", 100)
    # when an admin reads ada's views
    await api.sign_in("admin", "admin-password")
    seen = (await api.data(USER_VIEWS, {"id": str(ada)}))["user"]
    # then the admin sees them
    assert seen["dashboard"] == {"completedCount": 1}
    assert seen["progress"]["totalCount"] == 1
    assert len(seen["achievements"]) == 1
    # and another student does not (the user itself or its learner views stay hidden)
    make_user(engine, "bob")
    await api.sign_in("bob", PASSWORD)
    hidden = (await api.data(USER_VIEWS, {"id": str(ada)}))["user"]
    assert hidden is None or (
        hidden["dashboard"] is None and hidden["progress"] is None and hidden["achievements"] == []
    )
