"""The servers and workers a run starts: real processes with the run's environment."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

__all__ = ["free_port", "spawn_server", "spawn_worker", "stop", "wait_until"]

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(probe: Callable[[], bool], *, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(interval)
    return probe()


def _spawn(args: list[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )


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
    process = _spawn(args, log, env)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(f"{base}/ping") or process.poll() is not None, timeout=60)
    if process.poll() is not None:
        raise RuntimeError(f"{factory} server did not start:\n{log.read_text()[-3000:]}")
    return process, base


def spawn_worker(log: Path, env: Mapping[str, str], *, threads: int = 4) -> subprocess.Popen[bytes]:
    """A real `dramatiq tasks.worker` process, as `learngraph worker` runs it."""
    args = [str(BIN / "dramatiq"), "tasks.worker", "--processes", "1", "--threads", str(threads)]
    return _spawn(args, log, env)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
