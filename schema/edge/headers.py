"""Security headers on every response.

A response that sets its own Content-Security-Policy keeps it: that is the hook for pages that
need more than the API's default (the GraphiQL page sets the policy it needs itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_CSP", "SecurityHeaders"]

# JSON answers need nothing from a browser: no scripts, no frames, no loads of any kind.
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts
        hsts_header = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
        self._always = ALWAYS | (hsts_header if hsts else {})
        every = {**self._always, "Content-Security-Policy": DEFAULT_CSP}
        self._encoded = [(name.lower().encode(), value.encode()) for name, value in every.items()]
        self._names = {name for name, _ in self._encoded}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(message)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, message: Message) -> None:
        """Appended as they are encoded when the response sets none of them (every answer but
        the GraphiQL page's, which sets its policy); set one by one over its own otherwise."""
        raw = list(message.get("headers", ()))
        present = {name.lower() for name, _ in raw}
        if present.isdisjoint(self._names):
            message["headers"] = raw + self._encoded
            return
        message["headers"] = raw
        headers = MutableHeaders(scope=message)
        for name, value in self._always.items():
            headers[name] = value
        if "content-security-policy" not in headers:
            headers["Content-Security-Policy"] = DEFAULT_CSP
