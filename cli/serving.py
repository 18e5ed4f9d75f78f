"""How `learngraph serve` runs uvicorn: one process per CPU, metrics shared between them."""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["available_cpus", "shared_metrics"]

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
