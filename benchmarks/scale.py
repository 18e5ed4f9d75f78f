"""How big a run is: data sizes and how long each measurement goes on."""

from __future__ import annotations

from dataclasses import dataclass

from cli.serving import available_cpus

__all__ = ["SCALES", "Scale"]


@dataclass(frozen=True)
class Scale:
    name: str
    concepts: int
    relations: int
    paths: int
    users: int
    progress: int
    sync_changes: int
    lag_seconds: float
    read_requests: int  # per query, server and concurrency
    write_requests: int
    reconcile_sizes: tuple[int, int]
    cluster: int = 50  # prerequisites stay within a cluster of this many concepts
    read_rounds: int = 3  # servers take turns in each round, so noise does not fall on one only
    read_processes: int = 0  # processes per read server; 0: one per CPU, as `learngraph serve`

    @property
    def processes(self) -> int:
        return self.read_processes or available_cpus()

    @property
    def progress_per_user(self) -> int:
        return max(1, self.progress // self.users)


SCALES = {
    "full": Scale(
        "full", 10_000, 30_000, 200, 2_000, 200_000, 20_000, 30.0, 200, 1_000, (20_000, 100_000)
    ),
    "quick": Scale("quick", 1_000, 3_000, 20, 200, 20_000, 5_000, 12.0, 64, 400, (2_000, 10_000)),
    # the smoke test's: one round, one process per server, so that it stays quick
    "tiny": Scale(
        "tiny", 120, 300, 4, 20, 400, 60, 2.0, 4, 5, (100, 300), read_rounds=1, read_processes=1
    ),
}
