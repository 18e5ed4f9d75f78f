"""WebSocket connections: authentication in connection_init and the per-user connection cap.

Close codes: 4401 when connection_init carries no valid token of an active user (the same
rules as `Authorization` on HTTP) and when that token expires while connected; 4403 when the
user already holds LIVE_MAX_CONNECTIONS_PER_USER connections; 1011 when a store the check needs
(PostgreSQL for the account, Redis for the count) is unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from redis.exceptions import RedisError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from domain.security import TokenRejectedError, token_expiry
from resolvers.context import Context
from schema.extensions.document_size import document_too_long
from schema.metrics import metrics_of
from schema.schema import MAX_DOCUMENT_LENGTH, MAX_TOKENS

if TYPE_CHECKING:
    from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
        ConnectionInitMessage,
        SubscribeMessage,
        SubscribeMessagePayload,
    )

__all__ = ["LiveConnectionHandler", "SocketRefusedError", "authenticate_connection"]

logger = logging.getLogger(__name__)
UNAUTHORIZED = 4401
FORBIDDEN = 4403
UNAVAILABLE = 1011


class SocketRefusedError(Exception):
    """connection_init is refused: the socket closes with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _authorization(params: dict[str, Any] | None, context: Context) -> str:
    """`Authorization` from connection_init (any case), else the handshake's header."""
    for name, value in (params or {}).items():
        if name.lower() == "authorization" and isinstance(value, str):
            return value
    return str(context.request.headers.get("authorization", ""))


async def authenticate_connection(context: Context) -> None:
    """Confirm the token and take one of the user's connection slots, or refuse."""
    context.credentials = _authorization(context.connection_params, context)
    secret = context.settings.token_secret.get_secret_value()
    context.live_until = token_expiry(context.credentials.partition(" ")[2].strip(), secret=secret)
    try:
        await context.confirm_principal()
    except TokenRejectedError as rejected:
        raise SocketRefusedError(UNAUTHORIZED, f"Unauthorized: {rejected.message}") from None
    except Exception:  # PostgreSQL unreachable: the client may retry, it is not unauthorized
        logger.exception("live updates: could not confirm a connection's account")
        raise SocketRefusedError(UNAVAILABLE, "live updates are unavailable") from None
    if context.principal is None:
        reason = 'Unauthorized: send connection_init {"Authorization": "Bearer <token>"}'
        raise SocketRefusedError(UNAUTHORIZED, reason)
    try:
        slot = await context.resources.live.slots.take(context.principal.user_id)
    except (RedisError, OSError):
        raise SocketRefusedError(UNAVAILABLE, "live updates are unavailable") from None
    if slot is None:
        cap = context.settings.live_max_connections_per_user
        raise SocketRefusedError(FORBIDDEN, f"Forbidden: at most {cap} connections per user")
    context.live_slot = slot


def _too_long(payload: SubscribeMessagePayload) -> GraphQLError | None:
    """The refusal of a document over the cap HTTP applies, before anything parses it."""
    query = payload.get("query")
    if isinstance(query, str) and len(query) > MAX_DOCUMENT_LENGTH:
        return document_too_long(MAX_DOCUMENT_LENGTH)
    return None


def _is_subscription(payload: SubscribeMessagePayload) -> bool:
    """A subscription operation, or a document that does not parse (its error is reported)."""
    try:
        document = parse(payload["query"], max_tokens=MAX_TOKENS)
    except (GraphQLError, KeyError, TypeError):
        return True
    operation = get_operation_ast(document, payload.get("operationName"))
    return operation is None or operation.operation == OperationType.SUBSCRIPTION


class LiveConnectionHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with our close codes, giving the slot back when the socket ends."""

    expiry_task: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except SocketRefusedError as refused:
            await self.websocket.close(code=refused.code, reason=refused.reason)
            return
        if self.connection_acknowledged and self.context.live_until is not None:
            self.expiry_task = asyncio.create_task(self._close_at(self.context.live_until))

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Only subscriptions: queries and mutations go over HTTP, each with its own context."""
        if self.connection_acknowledged:
            refusal = _too_long(message["payload"])
            if refusal is None and not _is_subscription(message["payload"]):
                refusal = GraphQLError(
                    "only subscriptions are served over WebSocket; send queries and mutations "
                    "over HTTP",
                    extensions={"code": "SUBSCRIPTIONS_ONLY"},
                )
            if refusal is not None:
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [refusal.formatted]}
                )
                return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """Counted in `learngraph_subscriptions_open` while it runs."""
        metrics = metrics_of(self.context)
        if metrics is None:
            await super().run_operation(operation)
            return
        metrics.subscriptions_open.inc()
        try:
            await super().run_operation(operation)
        finally:
            metrics.subscriptions_open.dec()

    async def _close_at(self, expiry: datetime) -> None:
        """The token's end is the connection's: a client reconnects with a fresh token."""
        await asyncio.sleep(max((expiry - datetime.now(UTC)).total_seconds(), 0))
        await self.websocket.close(code=UNAUTHORIZED, reason="Unauthorized: the token expired")

    async def shutdown(self) -> None:
        if self.expiry_task is not None:
            self.expiry_task.cancel()
        try:
            await super().shutdown()
        finally:
            if self.context.live_slot is not None:
                with contextlib.suppress(RedisError, OSError):  # else it expires by itself
                    await self.context.resources.live.slots.give_back(self.context.live_slot)
