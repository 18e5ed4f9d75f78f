"""Which media type a response uses, chosen from the request's Accept header.

GraphQL over HTTP offers `application/graphql-response+json` (status codes tell request errors
apart) and the legacy `application/json` (always 200 once the request could be read). A client
gets graphql-response+json when it names it at least as highly as JSON; wildcards and a missing
Accept header mean JSON (unless JSON itself is refused with q=0).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

__all__ = ["MediaType", "negotiate"]


class MediaType(StrEnum):
    GRAPHQL_RESPONSE = "application/graphql-response+json"
    JSON = "application/json"


def _ranges(accept: str) -> list[tuple[str, float]]:
    """(media range, q) pairs of an Accept header; a malformed q counts as 0."""
    ranges = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media_range:
            ranges.append((media_range.lower(), quality))
    return ranges


def _quality(ranges: list[tuple[str, float]], media_type: MediaType, *, wildcards: bool) -> float:
    """The q of the most specific range that covers ``media_type`` (0 when none does)."""
    specificity = {media_type.value: 2}
    if wildcards:
        specificity |= {"application/*": 1, "*/*": 0}
    matching = [(specificity[r], q) for r, q in ranges if r in specificity]
    return max(matching)[1] if matching else 0.0


@lru_cache(maxsize=256)  # clients send the same few Accept headers again and again
def negotiate(accept: str | None) -> MediaType | None:
    """The response's media type, or None when the client accepts neither (406)."""
    if not accept or not accept.strip():
        return MediaType.JSON
    ranges = _ranges(accept)
    named = _quality(ranges, MediaType.GRAPHQL_RESPONSE, wildcards=False)
    json = _quality(ranges, MediaType.JSON, wildcards=True)
    if named > 0 and named >= json:
        return MediaType.GRAPHQL_RESPONSE
    if json > 0:
        return MediaType.JSON
    if _quality(ranges, MediaType.GRAPHQL_RESPONSE, wildcards=True) > 0:
        return MediaType.GRAPHQL_RESPONSE  # JSON refused outright, a wildcard still allows it
    return None
