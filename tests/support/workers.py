"""A real Dramatiq worker on the real Redis broker, in this process."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import dramatiq

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["running_worker"]


@contextmanager
def running_worker(threads: int = 2) -> Iterator[dramatiq.Worker]:
    """Started on entry, stopped on exit (what it had fetched and not started goes back)."""
    from tasks.worker import broker

    worker = dramatiq.Worker(broker, worker_timeout=100, worker_threads=threads)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
