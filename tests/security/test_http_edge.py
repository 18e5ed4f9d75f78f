"""Hostile HTTP requests get a 4xx with a GraphQL error body, never a 500, and write nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import httpx

    from tests.security.conftest import ApiWith
    from tests.support.api import Api

REGISTER = (
    'mutation { register(input: {username: "mallory", email: "m@example.org", '
    'password: "mallory-password"}) { token errors { code } } }'
)
NOT_AN_OBJECT = [
    b"null",
    b"1",
    b'"a string"',
    b"true",
    b"[]",
    b'[{"query": "' + REGISTER.replace('"', '\\"').encode() + b'"}]',  # batching is off
    b"{",
    b"",
    b"\xff\xfe\x00",
    b'{"query": "\xff"}',  # not UTF-8
    b"[" * 100_000,  # deeper than any parser's stack
    b'{"query": "{ me { id } }", "variables": {"n": ' + b"9" * 5000 + b"}}",  # huge integer
    b'{"query": 5}',
    b'{"query": "{ me { id } }", "variables": []}',
    b'{"query": "{ me { id } }", "extensions": "x"}',
]


def _users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM users")).scalar_one())


def _assert_graphql_refusal(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["message"]
    assert error["extensions"]["code"] == code


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=lambda body: repr(body[:24]))
async def test_a_body_that_is_not_a_json_object_gets_400_with_an_error_body(
    api: Api, engine: Engine, body: bytes
) -> None:
    # given the users there are (the bootstrap admin)
    before = _users(engine)
    # when a body that is not one GraphQL request object is posted
    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then it is refused with a GraphQL-over-HTTP error body and nothing is written
    _assert_graphql_refusal(response, 400, "BAD_REQUEST")
    assert _users(engine) == before


async def test_a_body_over_the_cap_gets_413_before_it_is_read_as_graphql(
    api_with: ApiWith, engine: Engine
) -> None:
    # given a cap of 4 KiB and a valid registration padded past it with whitespace
    padded = ('{"query": "' + REGISTER.replace('"', '\\"') + '"}').ljust(5000).encode()
    async with api_with(max_body_bytes=4096) as api:
        # when it is sent with its length declared, and again streamed without a length
        declared = await api.client.post(
            "/graphql", content=padded, headers={"content-type": "application/json"}
        )

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(padded), 1000):
                yield padded[start : start + 1000]

        streamed = await api.client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
    # then both are refused as too large and the registration never ran
    _assert_graphql_refusal(declared, 413, "PAYLOAD_TOO_LARGE")
    _assert_graphql_refusal(streamed, 413, "PAYLOAD_TOO_LARGE")
    assert _users(engine) == 1


async def test_a_body_under_the_cap_is_served(api_with: ApiWith) -> None:
    async with api_with(max_body_bytes=4096) as api:
        body = await api.send("{ me { id } }")
    assert body == {"data": {"me": None}}


async def test_an_oversized_query_string_gets_414_and_oversized_headers_get_431(
    api_with: ApiWith,
) -> None:
    async with api_with(max_query_string_bytes=2048, max_header_bytes=4096) as api:
        long_query = await api.client.get(
            "/graphql", params={"query": "{ me { id } }" + " " * 3000}
        )
        big_headers = await api.client.post(
            "/graphql", json={"query": "{ me { id } }"}, headers={"x-padding": "p" * 5000}
        )
        fine = await api.client.get("/graphql", params={"query": "{ me { id } }"})
    _assert_graphql_refusal(long_query, 414, "URI_TOO_LONG")
    _assert_graphql_refusal(big_headers, 431, "HEADERS_TOO_LARGE")
    assert fine.json() == {"data": {"me": None}}


async def test_a_malformed_content_length_gets_400(api: Api) -> None:
    response = await api.client.post(
        "/graphql",
        content=b'{"query": "{ me { id } }"}',
        headers={"content-type": "application/json", "content-length": "-5"},
    )
    _assert_graphql_refusal(response, 400, "BAD_REQUEST")


async def test_get_with_variables_that_are_not_an_object_gets_400(api: Api) -> None:
    for variables in ("5", "[", '"x"', "[" * 8000):
        response = await api.client.get(
            "/graphql", params={"query": "{ me { id } }", "variables": variables}
        )
        _assert_graphql_refusal(response, 400, "BAD_REQUEST")


async def test_an_empty_query_gets_400_over_post_and_get(api: Api) -> None:
    posted = await api.client.post("/graphql", json={"query": ""})
    _assert_graphql_refusal(posted, 400, "BAD_REQUEST")
    assert "query" in posted.json()["errors"][0]["message"]
    fetched = await api.client.get("/graphql", params={"query": ""})
    _assert_graphql_refusal(fetched, 400, "BAD_REQUEST")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_a_method_graphql_does_not_take_gets_405_with_an_error_body(
    api: Api, method: str
) -> None:
    response = await api.client.request(method, "/graphql")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    _assert_graphql_refusal(response, 405, "METHOD_NOT_ALLOWED")
    assert method in response.json()["errors"][0]["message"]


async def test_an_unknown_path_gets_404_with_an_error_body(api: Api) -> None:
    _assert_graphql_refusal(await api.client.get("/graphq1"), 404, "NOT_FOUND")
