"""Writing quizzes and taking them over the API: server grading, answers kept from learners."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user, scalar

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tests.support.api import Api

CREATE_QUIZ = operation("CreateQuiz")

SUBMIT = operation("SubmitQuizAttempt")

QUIZZES_WITH_KEYS = """
query ConceptPage($name: String!) {
  concept(name: $name) {
    quizzes { id title passingScore questions { id prompt kind options points correctAnswers } }
  }
}
"""

QUESTIONS = [
    {
        "prompt": "Lookup in a balanced search tree?",
        "kind": "SINGLE_CHOICE",
        "options": ["O(1)", "O(log n)", "O(n)"],
        "correctAnswers": ["O(log n)"],
        "points": 2,
    },
    {
        "prompt": "Which are linear structures?",
        "kind": "MULTIPLE_CHOICE",
        "options": ["stack", "queue", "tree"],
        "correctAnswers": ["stack", "queue"],
        "points": 2,
    },
    {
        "prompt": "Name the traversal that uses a stack.",
        "kind": "SHORT_TEXT",
        "options": [],
        "correctAnswers": ["depth first search", "DFS"],
        "points": 1,
    },
]


def quiz_input(concept_id: Any, **changes: Any) -> dict[str, Any]:
    base = {"conceptId": str(concept_id), "title": "Trees", "passingScore": 60}
    return {**base, "questions": QUESTIONS, **changes}


async def create(api: Api, given: dict[str, Any]) -> Any:
    return (await api.data(CREATE_QUIZ, {"input": given}))["createQuiz"]


async def a_quiz(api: Api, engine: Engine) -> tuple[Any, list[str]]:
    """A quiz on data_structures written by a teacher; returns its id and question ids."""
    make_user(engine, "tess", role="teacher")
    concept = make_concept(engine, "data_structures")
    await api.sign_in("tess", PASSWORD)
    quiz = (await create(api, quiz_input(concept)))["quiz"]
    api.token = None
    return quiz["id"], [question["id"] for question in quiz["questions"]]


def answers(ids: list[str], *given: list[str]) -> list[dict[str, Any]]:
    return [{"questionId": qid, "answers": list(a)} for qid, a in zip(ids, given, strict=True)]


async def test_a_teacher_writes_a_quiz_that_is_stored_with_its_questions_in_order(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "tess", role="teacher")
    concept = make_concept(engine, "data_structures")
    await api.sign_in("tess", PASSWORD)
    payload = await create(api, quiz_input(concept))
    assert payload["errors"] == []
    assert payload["quiz"]["title"] == "Trees"
    assert payload["quiz"]["passingScore"] == 60
    assert [q["kind"] for q in payload["quiz"]["questions"]] == [
        "SINGLE_CHOICE",
        "MULTIPLE_CHOICE",
        "SHORT_TEXT",
    ]
    assert payload["quiz"]["questions"][0]["options"] == ["O(1)", "O(log n)", "O(n)"]
    assert count(engine, "questions") == 3
    # quizzes stay out of the graph
    assert count(engine, "outbox_events", "entity_type NOT IN ('user')") == 0


async def test_an_ungradable_quiz_is_refused_naming_each_field_and_nothing_is_written(
    api: Api, engine: Engine
) -> None:
    make_user(engine, "tess", role="teacher")
    concept = make_concept(engine, "data_structures")
    await api.sign_in("tess", PASSWORD)
    two_answers = {**QUESTIONS[0], "correctAnswers": ["O(1)", "O(n)"]}
    not_an_option = {**QUESTIONS[1], "correctAnswers": ["heap"]}
    no_points = {**QUESTIONS[2], "points": 0}
    too_many_points = {**QUESTIONS[2], "points": 2**31 - 1}
    bad = await create(
        api,
        quiz_input(
            concept,
            passingScore=120,
            questions=[two_answers, not_an_option, no_points, too_many_points],
        ),
    )
    empty = await create(api, quiz_input(concept, questions=[]))
    unknown = await create(api, quiz_input("00000000-0000-0000-0000-000000000000"))
    assert [e["field"] for e in bad["errors"]] == [
        "passingScore",
        "questions[0].correctAnswers",
        "questions[1].correctAnswers",
        "questions[2].points",
        "questions[3].points",
    ]
    assert [e["field"] for e in empty["errors"]] == ["questions"]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("conceptId", "NOT_FOUND")]
    assert bad["quiz"] is None
    assert count(engine, "quizzes") == 0
    assert count(engine, "questions") == 0


async def test_only_teachers_and_admins_write_quizzes(api: Api, engine: Engine) -> None:
    make_user(engine, "ada")
    concept = make_concept(engine, "data_structures")
    anonymous = await create(api, quiz_input(concept))
    await api.sign_in("ada", PASSWORD)
    student = await create(api, quiz_input(concept))
    assert [e["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    assert [e["code"] for e in student["errors"]] == ["FORBIDDEN"]
    await api.sign_in("admin", "admin-password")
    assert (await create(api, quiz_input(concept)))["errors"] == []
    assert count(engine, "quizzes") == 1


async def test_students_never_see_correct_answers_but_authors_do(api: Api, engine: Engine) -> None:
    await a_quiz(api, engine)
    make_user(engine, "ada")
    # when a student, an anonymous visitor and the teacher read the concept's quizzes
    await api.sign_in("ada", PASSWORD)
    as_student = (await api.data(QUIZZES_WITH_KEYS, {"name": "data_structures"}))["concept"]
    api.token = None
    as_anonymous = (await api.data(QUIZZES_WITH_KEYS, {"name": "data_structures"}))["concept"]
    await api.sign_in("tess", PASSWORD)
    as_teacher = (await api.data(QUIZZES_WITH_KEYS, {"name": "data_structures"}))["concept"]
    # then only the teacher gets the answer keys
    for seen in (as_student, as_anonymous):
        questions = seen["quizzes"][0]["questions"]
        assert [q["correctAnswers"] for q in questions] == [None, None, None]
        assert "O(log n)" in questions[0]["options"]
    teacher_keys = [q["correctAnswers"] for q in as_teacher["quizzes"][0]["questions"]]
    assert teacher_keys == [["O(log n)"], ["stack", "queue"], ["depth first search", "DFS"]]


async def test_a_passing_attempt_is_graded_on_the_server_and_completes_the_concept(
    api: Api, engine: Engine
) -> None:
    # given a quiz and a student
    quiz_id, ids = await a_quiz(api, engine)
    student = make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    # when she answers two of three right (4 of 5 points), the text one loosely spelled
    given = answers(ids, ["O(log n)"], ["queue"], ["  Depth First SEARCH "])
    payload = (await api.data(SUBMIT, {"quizId": quiz_id, "answers": given}))["submitQuizAttempt"]
    # then the server scores 3/5, passes (60%), completes the concept and awards achievements
    assert payload["errors"] == []
    attempt = payload["attempt"]
    assert (attempt["score"], attempt["maxScore"], attempt["passed"]) == (3, 5, True)
    assert payload["progress"] == {
        "status": "COMPLETED",
        "progressPercent": 100,
        "masteryScore": 0.6,
    }
    assert [a["code"] for a in payload["newAchievements"]] == [
        "first_concept_completed",
        "first_quiz_passed",
    ]
    assert payload["syncToken"]
    assert count(engine, "quiz_attempts", "user_id = :u AND passed", u=student) == 1
    assert count(engine, "outbox_events", "entity_type = 'concept_progress'") == 1
    # and a second pass earns nothing new
    again = (await api.data(SUBMIT, {"quizId": quiz_id, "answers": given}))["submitQuizAttempt"]
    assert again["newAchievements"] == []


async def test_a_failing_attempt_starts_the_concept_and_keeps_the_best_mastery(
    api: Api, engine: Engine
) -> None:
    quiz_id, ids = await a_quiz(api, engine)
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    given = answers(ids, ["O(n)"], ["stack"], ["dfs"])
    payload = (await api.data(SUBMIT, {"quizId": quiz_id, "answers": given}))["submitQuizAttempt"]
    assert payload["attempt"]["passed"] is False
    assert payload["attempt"]["score"] == 1
    assert payload["progress"] == {
        "status": "IN_PROGRESS",
        "progressPercent": 0,
        "masteryScore": 0.2,
    }
    assert payload["newAchievements"] == []


async def test_answers_to_unknown_questions_are_refused_by_position_and_nothing_is_written(
    api: Api, engine: Engine
) -> None:
    quiz_id, ids = await a_quiz(api, engine)
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    stray = "00000000-0000-0000-0000-000000000000"
    given = answers([ids[0], stray], ["O(log n)"], ["x"])
    payload = (await api.data(SUBMIT, {"quizId": quiz_id, "answers": given}))["submitQuizAttempt"]
    no_quiz = (await api.data(SUBMIT, {"quizId": stray, "answers": []}))["submitQuizAttempt"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("answers[1].questionId", "VALIDATION")
    ]
    assert payload["attempt"] is None
    assert [(e["field"], e["code"]) for e in no_quiz["errors"]] == [("quizId", "NOT_FOUND")]
    for table in ("quiz_attempts", "concept_progress", "achievement_awards"):
        assert count(engine, table) == 0, table


async def test_taking_a_quiz_needs_a_signed_in_user(api: Api, engine: Engine) -> None:
    quiz_id, ids = await a_quiz(api, engine)
    given = answers(ids, ["O(log n)"], ["stack", "queue"], ["dfs"])
    payload = (await api.data(SUBMIT, {"quizId": quiz_id, "answers": given}))["submitQuizAttempt"]
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
    assert count(engine, "quiz_attempts") == 0
    assert scalar(engine, "SELECT count(*) FROM concept_progress") == 0


async def test_only_the_quizs_author_and_admins_see_its_accepted_answers(
    api: Api, engine: Engine
) -> None:
    # given tess's quiz, another teacher and a student
    await a_quiz(api, engine)
    make_user(engine, "otto", role="teacher")
    make_user(engine, "stu")

    async def keys_seen_by(username: str | None, password: str = PASSWORD) -> list[Any]:
        api.token = None
        if username is not None:
            await api.sign_in(username, password)
        concept = (await api.data(QUIZZES_WITH_KEYS, {"name": "data_structures"}))["concept"]
        return [q["correctAnswers"] for q in concept["quizzes"][0]["questions"]]

    # when each reads the quiz, then only tess and the admin get the answers
    expected = [q["correctAnswers"] for q in QUESTIONS]
    assert await keys_seen_by("tess") == expected
    assert await keys_seen_by("admin", "admin-password") == expected
    for other in ("otto", "stu", None):
        assert await keys_seen_by(other) == [None, None, None], other
