"""The worker command `learngraph worker` runs (and tests and benchmarks start the same way):
dramatiq's CLI over `tasks.worker`, with what its processes read from the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["POLL_MS", "worker_args", "worker_env"]

# How long an idle or saturated queue consumer sleeps at most before it polls Redis again.
# Dramatiq's default (1000 ms) also applies while all threads are busy, so a message could wait
# up to a second after a thread came free; 100 ms costs an idle worker ten polls a second.
POLL_MS = 100


def worker_args(bin_dir: Path, *, processes: int, threads: int) -> list[str]:
    dramatiq = str(bin_dir / "dramatiq")
    return [dramatiq, "tasks.worker", "--processes", str(processes), "--threads", str(threads)]


def worker_env(*, threads: int) -> dict[str, str]:
    """The threads (the PostgreSQL pool keeps a connection per thread) and the poll interval
    (read by dramatiq when it starts, so it cannot be set from inside the process)."""
    return {"WORKER_THREADS": str(threads), "dramatiq_worker_timeout": str(POLL_MS)}
