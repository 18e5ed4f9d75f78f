"""An HTTP client for an app served in the test's own process and event loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["in_process_client"]


def in_process_client(
    app: Starlette, *, client: tuple[str, int] = ("127.0.0.1", 123)
) -> httpx.AsyncClient:
    """A client of app whose every response also lets the app's background hand-overs run.

    A served app keeps its event loop turning after it answers, so the outbox events and mails a
    commit handed over reach Redis at once. In process, the test owns that loop and may block it
    next (a synchronous wait for the worker), so the client waits for those sends to finish.
    """

    async def handed_over(_response: httpx.Response) -> None:
        resources = getattr(app.state, "resources", None)
        if resources is not None:
            await resources.publish.drain()
            await resources.send_mail.drain()

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=client),
        base_url="http://test",
        event_hooks={"response": [handed_over]},
    )
