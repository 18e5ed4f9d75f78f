"""Each HTTP request gets a request id and one log line; the id is echoed on the response.

A client's `X-Request-Id` is kept when it is a short token (letters, digits, `.`, `_`, `-`, up to
128 characters), so one id follows a call across services; otherwise a new one is made. The id
is bound to every log line written while the request runs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import TYPE_CHECKING

import structlog
from starlette.datastructures import MutableHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["REQUEST_ID_HEADER", "RequestLog", "request_id_from"]

REQUEST_ID_HEADER = "x-request-id"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
logger = logging.getLogger("learngraph.http")


def request_id_from(header: str | None) -> str:
    if header is not None and ACCEPTED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _header(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key.decode("latin-1").lower() == name:
            return str(value.decode("latin-1"))
    return None


class RequestLog:
    """Pure ASGI middleware (no buffering of bodies or streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(_header(scope, REQUEST_ID_HEADER))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        structlog.contextvars.clear_contextvars()  # nothing of an earlier request on this task
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            fields = {"method": scope["method"], "path": scope["path"], "status": status}
            logger.info("request", extra={**fields, "duration_ms": duration_ms})
            structlog.contextvars.clear_contextvars()
