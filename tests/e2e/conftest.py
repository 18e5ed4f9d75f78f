"""The product as users run it: `learngraph serve` and a Dramatiq worker as real processes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ops.processes import stop
from tests.integration.conftest import clean_stores, engine, graph, settings
from tests.support.processes import spawn_api, spawn_worker

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["clean_stores", "engine", "graph", "settings"]


@pytest.fixture
def server(tmp_path: Path, engine: object) -> Iterator[str]:
    """The API as `learngraph serve` runs it; yields its base URL."""
    process, base = spawn_api(tmp_path / "api.log", serve=True)
    try:
        yield base
    finally:
        stop(process)


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real `dramatiq tasks.worker` process on the test Redis."""
    process = spawn_worker(tmp_path / "worker.log")
    try:
        yield process
    finally:
        stop(process)
