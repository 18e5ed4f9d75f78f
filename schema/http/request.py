"""A GraphQL request read from HTTP: a JSON object body (POST) or URL parameters (GET).

Every malformed part is refused with 400 (415 for a body that is not JSON) and a message naming
the parameter, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from cross_web import HTTPException, parse_content_type
from strawberry.http import GraphQLRequestData

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["OperationRequest", "from_body", "from_query_params", "require_json_content"]

JSON_PARAMETERS = ("variables", "extensions")  # sent as JSON text in a GET's URL


@dataclass
class OperationRequest(GraphQLRequestData):
    """GraphQLRequestData with the persisted-document id of GraphQL over HTTP (`documentId`)."""

    document_id: str | None = None


def bad_request(message: str) -> HTTPException:
    return HTTPException(400, message)


def require_json_content(content_type: str | None) -> None:
    """POST bodies are JSON (UTF-8): anything else is 415, naming what to send."""
    media_type, parameters = parse_content_type(content_type or "")
    if media_type != "application/json":
        shown = media_type or "none"
        raise HTTPException(415, f"Content-Type {shown} is not supported: send application/json")
    charset = parameters.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise HTTPException(415, f"charset {charset} is not supported: send utf-8")


def from_body(body: bytes) -> OperationRequest:
    if not body.strip():
        raise bad_request("the request body is empty: send a JSON object with a `query`")
    try:
        fields = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise bad_request(f"the request body is not valid JSON: {error}") from None
    if isinstance(fields, list):
        raise bad_request("batched requests are not supported: send one JSON object")
    if not isinstance(fields, dict):
        raise bad_request("the request body must be a JSON object with a `query`")
    return _operation(fields)


def from_query_params(params: Mapping[str, Any]) -> OperationRequest:
    fields: dict[str, object] = dict(params)
    for name in JSON_PARAMETERS:
        if fields.get(name):
            fields[name] = _json_parameter(name, str(fields[name]))
        else:
            fields.pop(name, None)
    return _operation(fields)


def _json_parameter(name: str, text: str) -> object:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise bad_request(f"`{name}` must be a JSON object encoded in the URL") from None


def _typed(fields: Mapping[str, object], name: str, kind: type, described: str) -> Any:
    value = fields.get(name)
    if value is not None and not isinstance(value, kind):
        raise bad_request(f"`{name}` must be {described} or null, not {_json_type(value)}")
    return value


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "an array", dict: "an object"}
    return names.get(type(value), "another type")


def _operation(fields: Mapping[str, object]) -> OperationRequest:
    request = OperationRequest(
        query=_typed(fields, "query", str, "a string"),
        operation_name=_typed(fields, "operationName", str, "a string"),
        variables=_typed(fields, "variables", dict, "an object"),
        extensions=_typed(fields, "extensions", dict, "an object"),
        document_id=_typed(fields, "documentId", str, "a string"),
    )
    persisted = (request.extensions or {}).get("persistedQuery")
    if request.query is None and request.document_id is None and persisted is None:
        raise bad_request("`query` is missing: send the GraphQL document as a string")
    return request
