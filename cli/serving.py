"""How `learngraph serve` runs uvicorn: one process per CPU, metrics shared between them."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from cli.one_write import OneWriteH11Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["TcpConfig", "available_cpus", "run_api", "shared_metrics"]

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With several processes, Prometheus figures go to files in one folder that /metrics adds
    up, so a scrape sees every process whichever answers it. The folder must be set before the
    processes import prometheus_client; a folder the operator set is kept as it is.
    """
    if workers == 1 or os.environ.get(METRICS_DIR):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="learngraph-metrics-") as folder:
        os.environ[METRICS_DIR] = folder
        try:
            yield
        finally:
            del os.environ[METRICS_DIR]


class TcpConfig(uvicorn.Config):
    """uvicorn's settings, with a listening socket that says it is TCP.

    With several processes uvicorn binds the socket itself and leaves its protocol at 0; the
    connections it accepts inherit that, and asyncio turns Nagle's algorithm off only on a
    socket whose protocol is TCP, so every answer on a kept-alive connection waited ~40 ms for
    the client's delayed ACK. The same descriptor, re-wrapped with IPPROTO_TCP, fixes that.
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto:
            return sock
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())


def run_api(app: str, *, workers: int, **options: Any) -> None:
    """Serves `app` (an import string) as `uvicorn.run` does, on a TCP socket of TcpConfig's,
    each answer written at once (cli/one_write.py)."""
    config = TcpConfig(app, workers=workers, http=OneWriteH11Protocol, **options)
    if workers > 1:
        with contextlib.suppress(KeyboardInterrupt):
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
