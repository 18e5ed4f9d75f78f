"""CPU seconds each side of a measurement spent: the worker processes, the PostgreSQL backends
of the benchmark's database, Neo4j, and the rest of the machine.

On a 2-CPU machine the sync engine, PostgreSQL and Neo4j share the cores, so a throughput
figure alone cannot say whether a run waited or ran out of CPU; these figures can (a side's
CPU seconds over the wall time is how many cores it kept busy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import psutil

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["CpuSides", "cpu_sides"]


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _tree(pid: int) -> Iterator[psutil.Process]:
    try:
        root = psutil.Process(pid)
        yield root
        yield from root.children(recursive=True)
    except psutil.NoSuchProcess:
        return


def _backends(database: str) -> Iterator[psutil.Process]:
    """PostgreSQL's backends serving `database` (their title names it)."""
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and database in " ".join(
            process.info["cmdline"] or ()
        ):
            yield process


def _sum(processes: Iterator[psutil.Process]) -> dict[int, float]:
    found: dict[int, float] = {}
    for process in processes:
        try:
            found[process.pid] = _cpu(process)
        except psutil.NoSuchProcess:
            continue
    return found


@dataclass(frozen=True)
class _Reading:
    sides: dict[str, dict[int, float]]
    machine: float


@dataclass
class CpuSides:
    """Reads each side's CPU time at `start()` and `stop()`; `spent` is seconds per side."""

    worker_pid: int
    neo4j_pid: int | None
    database: str
    spent: dict[str, float] = field(default_factory=dict)
    _start: _Reading | None = None

    def _read(self) -> _Reading:
        sides = {
            "worker": _sum(_tree(self.worker_pid)),
            "postgres": _sum(_backends(self.database)),
            "neo4j": _sum(_tree(self.neo4j_pid)) if self.neo4j_pid else {},
        }
        times = psutil.cpu_times()
        return _Reading(sides, float(times.user + times.system + times.nice))

    def start(self) -> None:
        self._start = self._read()

    def stop(self) -> dict[str, float]:
        if self._start is None:
            raise RuntimeError("stop() before start()")
        end, begun = self._read(), self._start
        spent = {
            side: sum(cpu - begun.sides[side].get(pid, 0.0) for pid, cpu in pids.items())
            for side, pids in end.sides.items()
        }
        spent["machine"] = end.machine - begun.machine
        spent["others"] = spent["machine"] - sum(
            spent[side] for side in ("worker", "postgres", "neo4j")
        )
        self.spent = {side: round(seconds, 3) for side, seconds in spent.items()}
        return self.spent


def _listening_on(port: int) -> int | None:
    for connection in psutil.net_connections(kind="tcp"):
        address = connection.laddr
        if connection.status == psutil.CONN_LISTEN and address and address.port == port:
            return connection.pid
    return None


def cpu_sides(worker_pid: int, *, neo4j_uri: str, database_url: str) -> CpuSides:
    """The sides of a run whose worker command is `worker_pid`, on the stores of the URLs."""
    neo4j = urlsplit(neo4j_uri)
    return CpuSides(
        worker_pid=worker_pid,
        neo4j_pid=_listening_on(neo4j.port or 7687),
        database=urlsplit(database_url).path.lstrip("/"),
    )
