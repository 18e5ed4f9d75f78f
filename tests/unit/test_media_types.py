"""Choosing the response media type from Accept."""

from __future__ import annotations

import pytest

from schema.http.media import MediaType, negotiate

GR = MediaType.GRAPHQL_RESPONSE
JSON = MediaType.JSON


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        ("application/graphql-response+json", GR),
        ("application/graphql-response+json, application/json;q=0.9", GR),
        ("application/json, application/graphql-response+json", GR),
        ("application/graphql-response+json;q=0.4, application/json", JSON),
        ("application/graphql-response+json;q=0.4, */*", JSON),
        ("application/graphql-response+json, */*;q=0.8", GR),
        ("APPLICATION/JSON; charset=utf-8", JSON),
        ("text/html, */*;q=0.1", JSON),
        ("text/csv", None),
        ("application/json;q=0, text/csv", None),
        ("application/json;q=0, */*", GR),
        ("application/json;q=0, application/graphql-response+json;q=0, */*", None),
        ("application/graphql-response+json;q=nonsense, application/json", JSON),
    ],
)
def test_the_media_type_follows_the_accept_header(accept: str | None, chosen: MediaType) -> None:
    assert negotiate(accept) == chosen
