"""The product's own processes (uvicorn, a Dramatiq worker) started and stopped by tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx

from tests.support.waiting import eventually

__all__ = ["BIN", "free_port", "kill", "ready", "spawn", "spawn_api", "spawn_worker", "stop"]

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def spawn(
    args: list[str], log: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a process in its own session, output to ``log``, environment ``env`` over ours."""
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gracefully (SIGTERM), then by force after 15 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill(process)


def kill(process: subprocess.Popen[bytes]) -> None:
    """Kill at once (SIGKILL), as a crash would."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False


def spawn_api(
    log: Path, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """A real uvicorn serving the API, once it answers /healthz; returns it and its base URL."""
    port = free_port()
    args = [str(BIN / "uvicorn"), "schema.asgi:app", "--port", str(port)]
    process = spawn(args, log, env)
    base = f"http://127.0.0.1:{port}"
    eventually(lambda: ready(f"{base}/healthz") or process.poll() is not None, timeout=30)
    assert process.poll() is None, log.read_text()
    return process, base


def spawn_worker(
    log: Path, env: Mapping[str, str] | None = None, threads: int = 2
) -> subprocess.Popen[bytes]:
    """A real `dramatiq tasks.worker` process."""
    args = [str(BIN / "dramatiq"), "tasks.worker", "--processes", "1", "--threads", str(threads)]
    return spawn(args, log, env)
