"""CORS: listed origins (localhost dev servers by default in development) and nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.security.conftest import PRODUCTION, ApiWith

if TYPE_CHECKING:
    import httpx

    from tests.support.api import Api


async def _preflight(api: Api, origin: str) -> httpx.Response:
    return await api.client.options(
        "/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


async def test_development_allows_local_dev_servers_and_no_one_else(api: Api) -> None:
    # when a local dev server and another site ask before posting
    local = await _preflight(api, "http://localhost:5173")
    other = await _preflight(api, "https://evil.example")
    # then only the local one is allowed, with the headers the API reads
    assert local.status_code == 200
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in local.headers["access-control-allow-headers"].lower()
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


async def test_a_request_from_an_unlisted_origin_carries_no_allow_header(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers


async def test_production_allows_only_the_listed_origins(api_with: ApiWith) -> None:
    async with api_with(**PRODUCTION, cors_origins=["https://app.example"]) as api:
        listed = await _preflight(api, "https://app.example")
        local = await _preflight(api, "http://localhost:5173")
        answer = await api.client.post(
            "/graphql", json={"query": "{ me { id } }"}, headers={"Origin": "https://app.example"}
        )
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == "https://app.example"
    assert local.status_code == 400
    assert answer.headers["access-control-allow-origin"] == "https://app.example"


async def test_production_without_a_list_allows_no_origin(api_with: ApiWith) -> None:
    async with api_with(**PRODUCTION) as api:
        local = await _preflight(api, "http://localhost:5173")
    assert local.status_code == 400
    assert "access-control-allow-origin" not in local.headers
