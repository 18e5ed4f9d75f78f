"""The servers and workers a run starts: real processes with the run's environment.

Every process started here is stopped when the run ends, however it ends (an exception, Ctrl-C
or SIGTERM), so a run leaves nothing behind.
"""

from __future__ import annotations

import atexit
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from cli.worker_command import worker_args, worker_env
from ops.core import wait_until
from ops.processes import BIN, free_port, spawn, stop

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Mapping
    from pathlib import Path
    from types import FrameType

__all__ = [
    "Server",
    "ServerDiedError",
    "spawn_server",
    "spawn_started",
    "spawn_worker",
    "stop_all",
    "wait_until",
]

_started: list[subprocess.Popen[bytes]] = []


class ServerDiedError(RuntimeError):
    """A server the run started is gone: the run stops, naming it and showing its log."""


@dataclass(frozen=True)
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise ServerDiedError(
                f"the {self.name} server exited with {self.process.returncode}:\n{tail}"
            )


def stop_all() -> None:
    while _started:
        stop(_started.pop())


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through every finally, then atexit runs


atexit.register(stop_all)
signal.signal(signal.SIGTERM, _stop_on_sigterm)


def spawn_started(args: list[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """spawn(), remembered so that the run stops it at the latest when it ends."""
    process = spawn(args, log, env)
    _started.append(process)
    return process


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code < 500
    except httpx.TransportError:
        return False


def spawn_server(factory: str, log: Path, env: Mapping[str, str], *, workers: int = 1) -> Server:
    """uvicorn serving `benchmarks.served:<factory>` with `workers` processes, once it answers."""
    port = free_port()
    args = [str(BIN / "python"), "-m", "benchmarks.serve", factory, str(port), str(workers)]
    server = Server(factory, f"http://127.0.0.1:{port}", spawn_started(args, log, env), log)
    wait_until(
        lambda: _answers(f"{server.base}/ping") or server.process.poll() is not None, timeout=120
    )
    server.check_alive()
    return server


def spawn_worker(
    log: Path, env: Mapping[str, str], *, threads: int = 4, processes: int = 1
) -> subprocess.Popen[bytes]:
    """A real `dramatiq tasks.worker` command, as `learngraph worker` runs it."""
    args = worker_args(BIN, processes=processes, threads=threads)
    return spawn_started(args, log, {**env, **worker_env(threads=threads)})
