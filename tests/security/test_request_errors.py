"""A request refused before it runs says why in `extensions.code`, as every other refusal does,
and is logged as the client's mistake, never with a traceback."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.support.api import Api

PROGRESS = """
mutation Report($input: RecordProgressInput!) { recordProgress(input: $input) { errors { code } } }
"""
REPORT = {"conceptId": "x", "status": "IN_PROGRESS", "progressPercent": 1, "timeSpentSeconds": 1}
SET_ROLE = "mutation Promote($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { errors { code } } }"
SUBMIT = "mutation Take($q: ID!, $a: [AnswerInput!]!) { submitQuizAttempt(quizId: $q, answers: $a) { errors { code } } }"
FIRST = "query Page($first: Int!) { concepts(first: $first) { totalCount } }"

REFUSED: list[tuple[str, str, dict[str, Any], str, str | None]] = [
    ("unparsable", "{ concepts(", {}, "GRAPHQL_PARSE_FAILED", None),
    ("unknown field", "{ nope }", {}, "GRAPHQL_VALIDATION_FAILED", None),
    (
        "literal of the wrong type",
        '{ concepts(first: "a") { totalCount } }',
        {},
        "GRAPHQL_VALIDATION_FAILED",
        None,
    ),
    ("missing variable", FIRST, {}, "BAD_USER_INPUT", "first"),
    ("float for an Int", FIRST, {"first": 1.5}, "BAD_USER_INPUT", "first"),
    ("string for an Int", FIRST, {"first": "1"}, "BAD_USER_INPUT", "first"),
    (
        "Int over 32 bits",
        PROGRESS,
        {"input": {**REPORT, "timeSpentSeconds": 2**31}},
        "BAD_USER_INPUT",
        "input.timeSpentSeconds",
    ),
    ("unknown enum value", SET_ROLE, {"id": "x", "role": "OVERLORD"}, "BAD_USER_INPUT", "role"),
    ("enum value of the wrong type", SET_ROLE, {"id": "x", "role": 1}, "BAD_USER_INPUT", "role"),
    ("null for a non-null", SET_ROLE, {"id": None, "role": "ADMIN"}, "BAD_USER_INPUT", "id"),
    (
        "null deep in a list",
        SUBMIT,
        {"q": "x", "a": [{"questionId": "x", "answers": []}, {"questionId": None, "answers": []}]},
        "BAD_USER_INPUT",
        "a[1].questionId",
    ),
    (
        "unknown input field",
        PROGRESS,
        {"input": {**REPORT, "userId": "x"}},
        "BAD_USER_INPUT",
        "input",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "code", "field"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
async def test_a_request_refused_before_it_runs_carries_a_code(
    api: Api, query: str, variables: dict[str, Any], code: str, field: str | None
) -> None:
    # given an admin, who may run every operation here
    await api.sign_in("admin", "admin-password")
    # when a request that cannot run is sent
    response = await api.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={
            "Authorization": f"Bearer {api.token}",
            "Accept": "application/graphql-response+json",
        },
    )
    # then it is a 400 whose one error names the code (and the variable), with no data
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error["extensions"].get("field") == field
    assert "Internal" not in error["message"]


async def test_an_unknown_operation_name_is_an_operation_resolution_failure(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json={"query": "query A { __typename }", "operationName": "B"}
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"


@pytest.mark.parametrize(
    ("query", "variables", "said"),
    [
        (FIRST, {"first": 2**40}, "Variable '$first'"),
        ('{ concepts(after: "garbage") { totalCount } }', {}, "not a valid cursor"),
        ('{ prerequisiteRoute(from: "nowhere", to: "else") { __typename } }', {}, "nowhere"),
    ],
    ids=["a variable that does not coerce", "a bad cursor", "an unknown name"],
)
async def test_a_callers_mistake_is_logged_at_info_without_a_traceback(
    api: Api, caplog: pytest.LogCaptureFixture, query: str, variables: dict[str, Any], said: str
) -> None:
    # when a request carries a mistake, refused whole or by one field
    with caplog.at_level(logging.INFO):
        body = await api.send(query, variables)
    assert body["errors"][0]["extensions"]["code"]
    # then the log says so at INFO, with no exception attached, and nothing at ERROR
    told = [record for record in caplog.records if said in record.getMessage()]
    assert told
    assert all(r.levelno == logging.INFO and r.exc_info is None for r in told)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_document_of_several_operations_runs_only_the_one_named(api: Api) -> None:
    # given a document with a query and a mutation that would sign the caller out
    await api.sign_in("admin", "admin-password")
    both = "query Look { me { username } } mutation Leave { logout { errors { code } } }"
    # when it is sent without operationName
    unnamed = await api.send(both)
    # then nothing runs: the request is refused, and the caller is still signed in
    assert "data" not in unnamed
    [error] = unnamed["errors"]
    assert error["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
    assert "operationName" in error["message"]
    assert (await api.data("{ me { username } }"))["me"] == {"username": "admin"}
    # and naming one runs that one
    response = await api.client.post(
        "/graphql",
        json={"query": both, "operationName": "Look"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.json() == {"data": {"me": {"username": "admin"}}}
