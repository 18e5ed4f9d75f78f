"""Security headers on every response, refusals and unknown paths included."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from schema.edge.headers import DEFAULT_CSP
from tests.security.conftest import PRODUCTION, ApiWith

if TYPE_CHECKING:
    from tests.support.api import Api


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/graphql", b'{"query": "{ me { id } }"}'),
        ("POST", "/graphql", b"null"),
        ("GET", "/healthz", b""),
        ("GET", "/metrics", b""),
        ("GET", "/no-such-page", b""),
    ],
)
async def test_every_response_forbids_sniffing_and_framing(
    api: Api, method: str, path: str, body: bytes
) -> None:
    response = await api.client.request(
        method, path, content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code < 500
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == DEFAULT_CSP


async def test_production_answers_also_ask_browsers_for_https(api_with: ApiWith) -> None:
    async with api_with(**PRODUCTION) as api:
        response = await api.client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")
