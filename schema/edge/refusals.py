"""Requests refused at the edge, answered with a GraphQL-over-HTTP error body."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Refusal", "refusal_response"]


class Refusal(Exception):  # noqa: N818  # a request refused on purpose, not a failure
    """A request the API refuses as a whole: an HTTP status, a message and an error code."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


def refusal_response(refusal: Refusal) -> Response:
    """`{"errors": [{"message", "extensions": {"code", ...}}]}` with the refusal's status."""
    error = {"message": refusal.message, "extensions": {"code": refusal.code, **refusal.extensions}}
    return Response(
        json.dumps({"errors": [error]}, separators=(",", ":")),
        status_code=refusal.status,
        media_type="application/json",
        headers=refusal.headers,
    )
