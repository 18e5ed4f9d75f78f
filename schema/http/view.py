"""The /graphql endpoint: strawberry's ASGI view held to GraphQL over HTTP.

Requests are read strictly (http/request.py), the response media type follows Accept
(http/media.py), statuses follow it (http/responses.py), and every refusal is a GraphQL-shaped
JSON error whose message names what to fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from domain.security import TokenRejectedError
from resolvers.context import Context
from schema.edge.cors import browser_origin_allowed
from schema.extensions.request_errors import OPERATION_RESOLUTION_FAILURE
from schema.graphiql.page import graphiql_page
from schema.http.media import MediaType, negotiate
from schema.http.persisted import PersistedOperations, PersistedQueryRefused
from schema.http.request import (
    OperationRequest,
    from_body,
    from_query_params,
    require_json_content,
)
from schema.http.responses import (
    error_response,
    graphql_body,
    graphql_response,
    is_request_error,
)
from schema.live_socket import LiveConnectionHandler, authenticate_connection

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.types import Receive, Scope, Send
    from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
    from strawberry.http.base import BaseRequestProtocol
    from strawberry.http.types import HTTPMethod

    from resolvers.resources import ApiResources

__all__ = ["GraphQLView"]

OVER_SOCKET_ONLY = {OperationType.SUBSCRIPTION}  # subscriptions stream over the WebSocket
NOT_ACCEPTABLE = (
    "the Accept header allows neither application/graphql-response+json nor application/json"
)


def _wrong_method(error: InvalidOperationTypeError, method: HTTPMethod) -> HTTPException:
    reason = error.as_http_error_reason(method)
    if error.operation_type is OperationType.SUBSCRIPTION:
        return HTTPException(400, f"{reason}: subscribe over the WebSocket at this same URL")
    return HTTPException(405, f"{reason}: send them with POST")


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = LiveConnectionHandler

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response = await self._answer(Request(scope, receive))
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        page = self.should_render_graphql_ide(self.request_adapter_class(request))
        media = MediaType.JSON if page else negotiate(request.headers.get("accept"))
        if media is None:
            return error_response(NOT_ACCEPTABLE, 406, MediaType.JSON)
        request.state.media = media
        try:
            return await self.run(request)
        except HTTPException as error:
            allow = {"Allow": "POST"} if error.status_code == 405 else None
            return error_response(error.reason, error.status_code, media, allow)
        except TokenRejectedError as error:  # a bad token is refused, never taken as anonymous
            challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return error_response(error.message, 401, media, challenge, code=error.code)

    async def get_context(self, request: Any, response: Any) -> Context:
        resources: ApiResources = request.app.state.resources
        context = Context(resources, request, response)
        if not isinstance(request, WebSocket):  # a WebSocket authenticates in connection_init
            await context.confirm_principal()
            context.sends_json_text = True  # graphql_response encodes with orjson
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        await authenticate_connection(context)
        acknowledged: UnsetType = UNSET  # connection_ack without a payload
        return acknowledged

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = request.state.media  # read back by create_response
        return sub_response

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """A page on another origin may subscribe when CORS_ORIGINS lets it call over HTTP."""
        resources: ApiResources = request.app.state.resources
        return browser_origin_allowed(resources.settings, origin)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """A browser's page load: a GET asking for HTML that names no operation in any way."""
        if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
            return False
        return not {"query", "extensions", "documentId"} & set(request.query_params)

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method == "GET":
            return from_query_params(request.query_params)
        require_json_content(request.content_type)
        return from_body(await request.get_body())

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        return graphql_body(result)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        if isinstance(response_data, list):  # batches are refused while parsing
            raise TypeError("a batch reached the response; it should have been refused")
        media = MediaType(sub_response.media_type or MediaType.JSON)
        response = graphql_response(response_data, media, sub_response.status_code)
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = sub_response.background
        return response

    async def execute_single(  # noqa: PLR0917 (strawberry's signature, overridden)
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        if not isinstance(request_data, OperationRequest):  # parse_http_body makes one
            raise TypeError(f"expected an OperationRequest, got {type(request_data).__name__}")
        persisted: PersistedOperations = request.app.state.persisted
        try:
            resolved = await persisted.resolve(request_data)
        except PersistedQueryRefused as refusal:
            return refusal.result()
        result = await self._execute(resolved.query, request_adapter.method, context, request_data)
        if not is_request_error(result):
            await persisted.remember(resolved)
        return result

    async def _execute(
        self,
        query: str | None,
        method: HTTPMethod,
        context: Context,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await self.schema.execute(
                query,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=OperationType.from_http(method) - OVER_SOCKET_ONLY,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as error:
            raise _wrong_method(error, method) from error
        except MissingQueryError as error:  # `query` given, but empty
            raise HTTPException(400, "`query` is empty: send the GraphQL document") from error
        except CannotGetOperationTypeError as error:
            refusal = GraphQLError(
                error.as_http_error_reason(), extensions={"code": OPERATION_RESOLUTION_FAILURE}
            )
            return ExecutionResult(data=None, errors=[refusal])
