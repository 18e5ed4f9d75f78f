"""The product as users run it: uvicorn and a Dramatiq worker as real processes over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import clean_stores, engine, graph, settings
from tests.support.waiting import eventually

__all__ = ["clean_stores", "engine", "graph", "settings"]

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _spawn(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
            start_new_session=True,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def server(tmp_path: Path, engine: object) -> Iterator[str]:
    """A real uvicorn serving the API; yields its base URL."""
    port = _free_port()
    process = _spawn(
        [str(BIN / "uvicorn"), "schema.asgi:app", "--port", str(port)], tmp_path / "api.log"
    )
    base = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: _ready(f"{base}/healthz") or process.poll() is not None, timeout=30)
        assert process.poll() is None, (tmp_path / "api.log").read_text()
        yield base
    finally:
        _stop(process)


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real `dramatiq tasks.worker` process on the test Redis."""
    process = _spawn(
        [str(BIN / "dramatiq"), "tasks.worker", "--processes", "1", "--threads", "2"],
        tmp_path / "worker.log",
    )
    try:
        yield process
    finally:
        _stop(process)
