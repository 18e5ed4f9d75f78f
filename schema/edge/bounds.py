"""Bounds on a request's size: headers, query string and body, checked before anything parses.

Pure ASGI, so that an oversized body is refused (413) without the app ever reading it: a declared
Content-Length over the cap is refused at once, and a body sent without one is counted as it
arrives and refused as soon as it passes the cap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schema.edge.refusals import Refusal, refusal_response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestBounds"]


class RequestBounds:
    def __init__(
        self, app: ASGIApp, *, max_body: int, max_headers: int, max_query_string: int
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_headers = max_headers
        self.max_query_string = max_query_string

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        try:
            self._check_head(scope)
            if scope["type"] == "http":
                receive = await self._buffered_body(scope, receive)
        except Refusal as refusal:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1009})
                return
            await refusal_response(refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check_head(self, scope: Scope) -> None:
        if len(scope.get("query_string", b"")) > self.max_query_string:
            raise Refusal(
                414,
                f"the query string is longer than {self.max_query_string} bytes",
                "URI_TOO_LONG",
            )
        size = sum(len(name) + len(value) for name, value in scope.get("headers", ()))
        if size > self.max_headers:
            raise Refusal(
                431,
                f"the request headers are larger than {self.max_headers} bytes",
                "HEADERS_TOO_LARGE",
            )

    def _too_large(self) -> Refusal:
        return Refusal(
            413, f"the request body is larger than {self.max_body} bytes", "PAYLOAD_TOO_LARGE"
        )

    def _declared_length(self, scope: Scope) -> int | None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.isdigit():
                    raise Refusal(400, "Content-Length must be a number of bytes", "BAD_REQUEST")
                return int(value)
        return None

    async def _buffered_body(self, scope: Scope, receive: Receive) -> Receive:
        """The body read up to the cap (413 beyond it), handed on as one message."""
        declared = self._declared_length(scope)
        if declared is not None and declared > self.max_body:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return _replay(message, receive)  # the client left; let the app see it
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        return _replay({"type": "http.request", "body": body, "more_body": False}, receive)


def _replay(first: Message, receive: Receive) -> Receive:
    pending: list[Message] = [first]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
