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
