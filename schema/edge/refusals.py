"""Requests refused at the edge, answered with a GraphQL-over-HTTP error body."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.responses import Response

if TYPE_CHECKING:
    from collections.abc import Mapping

    from starlette.requests import Request

__all__ = ["Refusal", "http_error_response", "refusal_response"]

ROUTING_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


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


async def http_error_response(request: Request, error: Exception) -> Response:
    """Starlette's own refusals (no such path, a method the path does not take) in the same
    GraphQL-over-HTTP error body as every other refusal, instead of plain text."""
    if not isinstance(error, HTTPException):  # only registered for HTTPException
        raise error
    message = str(error.detail)
    allowed = (error.headers or {}).get("Allow")
    if error.status_code == 405 and allowed:
        message = f"{request.method} is not allowed here: use {allowed.replace(', ', ' or ')}"
    code = ROUTING_CODES.get(error.status_code, "BAD_REQUEST")
    return refusal_response(Refusal(error.status_code, message, code, headers=error.headers))
