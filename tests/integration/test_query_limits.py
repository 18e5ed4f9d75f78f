"""Operations too deep or too costly are refused before any resolver runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.api import Api

TOO_COSTLY = """
{ concepts(first: 100) { edges { node { prerequisites { dependents { related { id } } } } } } }
"""


async def test_an_operation_over_the_cost_limit_is_refused_whole(api: Api) -> None:
    # when a query asks for pages of pages
    body = await api.send(TOO_COSTLY)
    # then nothing runs and the error says why
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert "the limit is 50000" in error["message"]


async def test_an_operation_within_the_limit_runs(api: Api) -> None:
    body = await api.send("{ concepts(first: 100) { edges { node { quizzes { id } } } } }")
    assert "errors" not in body
    assert body["data"]["concepts"]["edges"] == []
