"""The product's own processes (uvicorn, a Dramatiq worker) as the tests start them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from cli.worker_command import worker_args, worker_env
from ops.processes import BIN, free_port, spawn, stop
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["ready", "spawn_api", "spawn_worker"]


def ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False


def spawn_api(
    log: Path, env: Mapping[str, str] | None = None, *, wait: float = 30, serve: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    """A real uvicorn serving the API, once it answers /healthz (within `wait` seconds); returns
    it and its base URL. On a failed start the process is stopped before the error is raised.

    With `serve`, the API as `learngraph serve` runs it (one process, its HTTP protocol and
    socket; it waits for the stores first); else bare `uvicorn`, which starts whatever the
    stores' state."""
    port = free_port()
    args = [str(BIN / "uvicorn"), "schema.asgi:app", "--port", str(port)]
    if serve:
        args = [str(BIN / "learngraph"), "serve", "--workers", "1", "--port", str(port)]
    process = spawn(args, log, env)
    base = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: ready(f"{base}/healthz") or process.poll() is not None, timeout=wait)
        assert process.poll() is None, log.read_text()
    except AssertionError:
        stop(process)
        raise
    return process, base


def spawn_worker(
    log: Path, env: Mapping[str, str] | None = None, threads: int = 2
) -> subprocess.Popen[bytes]:
    """A real `dramatiq tasks.worker` process."""
    args = worker_args(BIN, processes=1, threads=threads)
    return spawn(args, log, {**(env or {}), **worker_env(threads=threads)})
