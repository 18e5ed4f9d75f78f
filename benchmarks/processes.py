"""The servers and workers a run starts: real processes with the run's environment."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from ops.processes import BIN, free_port, spawn

__all__ = ["spawn_server", "spawn_worker", "wait_until"]


def wait_until(probe: Callable[[], bool], *, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(interval)
    return probe()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code < 500
    except httpx.TransportError:
        return False


def spawn_server(
    factory: str, log: Path, env: Mapping[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn serving `benchmarks.served:<factory>` (one process); returns it and its base URL."""
    port = free_port()
    args = [
        str(BIN / "uvicorn"),
        f"benchmarks.served:{factory}",
        "--factory",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = spawn(args, log, env)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(f"{base}/ping") or process.poll() is not None, timeout=60)
    if process.poll() is not None:
        raise RuntimeError(f"{factory} server did not start:\n{log.read_text()[-3000:]}")
    return process, base


def spawn_worker(log: Path, env: Mapping[str, str], *, threads: int = 4) -> subprocess.Popen[bytes]:
    """A real `dramatiq tasks.worker` process, as `learngraph worker` runs it."""
    args = [str(BIN / "dramatiq"), "tasks.worker", "--processes", "1", "--threads", str(threads)]
    return spawn(args, log, env)
