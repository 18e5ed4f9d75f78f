"""/metrics on an address of its own (METRICS_BIND), so that it never shares the public port.

Every API process listens on that address with SO_REUSEPORT: the kernel hands each scrape to one
of them, and each answers for all (their figures are shared, see Metrics). Only processes of the
same user may share the port; anything else already on it makes the API refuse to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from schema.metrics import private_metrics_endpoint

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.datastructures import State

__all__ = ["MetricsBind", "MetricsBindError"]


class MetricsBindError(RuntimeError):
    """METRICS_BIND's address cannot be listened on."""


class _SideServer(uvicorn.Server):
    """A uvicorn server inside the API's own event loop: the API's server owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise MetricsBindError(
            f"setting METRICS_BIND: cannot listen on {host}:{port}: {error.strerror}"
        ) from None
    sock.setblocking(False)
    return sock


class MetricsBind:
    """Serves /metrics, with the API's figures and stores, on METRICS_BIND while the API runs."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.host, self.port = address
        self._server: _SideServer | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, state: State) -> None:
        """Listen at once (raises MetricsBindError naming the setting) and serve in the loop."""
        sock = _listening_socket(self.host, self.port)
        app = Starlette(routes=[Route("/metrics", private_metrics_endpoint)])
        app.state.metrics = state.metrics
        app.state.resources = state.resources
        config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False)
        self._server = _SideServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))

    async def close(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self._server = self._task = None
