"""Response bodies and status codes of GraphQL over HTTP.

A request error (the document could not be parsed, validated or its variables coerced, so
nothing ran) carries no `data`. With application/graphql-response+json it is answered 400; with
application/json 200, as that media type's clients expect. Malformed HTTP requests are 4xx
whatever the media type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from starlette.responses import Response
from strawberry.http import GraphQLHTTPResponse, process_result

from schema.http.media import MediaType

if TYPE_CHECKING:
    from graphql import GraphQLError
    from strawberry.types import ExecutionResult

__all__ = ["error_response", "graphql_body", "graphql_response", "is_request_error"]

CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing ran: no data, and no error belongs to a field (field errors carry a path)."""
    errors: list[GraphQLError] = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def graphql_body(result: ExecutionResult) -> GraphQLHTTPResponse:
    body = process_result(result)
    if is_request_error(result):
        body.pop("data", None)
    return body


def _encode(body: object) -> bytes:
    return orjson.dumps(body)


def graphql_response(body: GraphQLHTTPResponse, media: MediaType, status: int | None) -> Response:
    if status is None:
        rejected = media is MediaType.GRAPHQL_RESPONSE and "data" not in body
        status = 400 if rejected else 200
    return Response(_encode(body), status_code=status, media_type=f"{media}; charset=utf-8")


def error_response(
    message: str,
    status: int,
    media: MediaType,
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> Response:
    """A request refused before GraphQL ran: the status says why, the body says it in words."""
    code = code or CODES.get(status, "BAD_REQUEST")
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(
        _encode(body), status_code=status, media_type=f"{media}; charset=utf-8", headers=headers
    )
