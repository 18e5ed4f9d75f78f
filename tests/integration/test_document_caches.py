"""Parsed and validated documents are cached, and the limits still hold for every document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.support.api import Api


def deep(levels: int) -> str:
    nested = "id"
    for _ in range(levels):
        nested = f"prerequisites {{ {nested} }}"
    return f"{{ concepts(first: 1) {{ edges {{ node {{ {nested} }} }} }} }}"


def messages(body: dict[str, Any]) -> str:
    return " ".join(error["message"] for error in body.get("errors", []))


async def test_a_document_too_deep_is_refused_every_time_it_is_sent(api: Api) -> None:
    # given a shallow document that ran (and is cached)
    assert "errors" not in await api.send(deep(2))
    # when a new, too deep document is sent twice
    first, second = await api.send(deep(14)), await api.send(deep(14))
    # then both are refused by the depth limit, nothing runs
    for body in (first, second):
        assert body.get("data") is None
        assert "depth" in messages(body)


async def test_too_many_aliases_are_refused_every_time(api: Api) -> None:
    document = "{ " + " ".join(f"a{index}: __typename" for index in range(31)) + " }"
    for _ in range(2):
        body = await api.send(document)
        assert body.get("data") is None
        assert "aliases" in messages(body).lower()


async def test_too_many_tokens_are_refused_every_time(api: Api) -> None:
    document = "{ " + " ".join("__typename" for _ in range(5001)) + " }"
    for _ in range(2):
        body = await api.send(document)
        assert body.get("data") is None
        assert "tokens" in messages(body)


async def test_a_repeated_document_answers_the_same(api: Api) -> None:
    document = "{ concepts(first: 5) { edges { node { id } } } }"
    assert await api.send(document) == await api.send(document)


SEARCH = "query($s: String) { concepts(filter: {search: $s}) { totalCount } }"
CREATE = (
    "mutation($i: CreateConceptInput!) { createConcept(input: $i) {"
    " concept { id } errors { field code } } }"
)


async def test_a_cached_document_checks_each_requests_variables_anew(api: Api) -> None:
    # given a document that ran with clean variables (its parse and input plan are cached)
    assert "errors" not in await api.send(SEARCH, {"s": "graph"})
    # when the same text comes with a NUL, then with an over-long term, then clean again
    nul, long, clean = (
        await api.send(SEARCH, {"s": "a\x00"}),
        await api.send(SEARCH, {"s": "x" * 201}),
        await api.send(SEARCH, {"s": "tree"}),
    )
    # then each bad value is refused naming the field, and the clean one answers
    for body, wrong in ((nul, "NUL"), (long, "at most 200 characters")):
        assert body.get("data") is None
        assert body["errors"][0]["extensions"]["field"] == "filter.search"
        assert wrong in body["errors"][0]["message"]
    assert "errors" not in clean


async def test_a_cached_literal_problem_is_refused_whatever_the_variables(api: Api) -> None:
    document = 'query($n: Int) { concepts(first: $n, filter: {search: "a\\u0000"}) { totalCount } }'
    for variables in ({"n": 1}, {"n": 2}):
        body = await api.send(document, variables)
        assert body.get("data") is None
        assert body["errors"][0]["extensions"]["field"] == "filter.search"


async def test_a_cached_mutation_answers_its_input_problems_in_its_payload_each_time(
    api: Api,
) -> None:
    await api.sign_in("admin", "admin-password")
    good = {"name": "cached_plan", "displayName": "Cached", "difficulty": "BEGINNER"}
    # given the mutation ran once with a clean input
    made = await api.send(CREATE, {"i": good})
    assert made["data"]["createConcept"]["errors"] == [], made
    # when the same document comes with a bad list item
    bad = {**good, "name": "cached_plan_2", "keyTerms": ["ok", "x" * 501]}
    body = await api.send(CREATE, {"i": bad})
    # then its payload names the item and nothing was written
    payload = body["data"]["createConcept"]
    assert payload["concept"] is None
    assert [e["field"] for e in payload["errors"]] == ["keyTerms[1]"]
    missing = await api.send('{ concept(name: "cached_plan_2") { id } }')
    assert missing["data"]["concept"] is None
