"""A worker process started by the worker command runs at WORKER_NICE, its threads too."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ops.processes import stop
from tests.support.processes import spawn_worker
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import pytest


def niceness(task: Path) -> int:
    """Field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised command name)."""
    return int((task / "stat").read_text().rsplit(")", 1)[1].split()[16])


def worker_threads(parent: int) -> list[Path]:
    """The threads of the worker processes dramatiq forked, once their pool runs."""
    children = [
        proc for proc in Path("/proc").iterdir() if proc.name.isdigit() and _parent(proc) == parent
    ]
    threads = [task for child in children for task in (child / "task").iterdir()]
    return threads if len(threads) > 3 else []


def _parent(proc: Path) -> int:
    try:
        status = (proc / "status").read_text()
    except OSError:
        return 0
    line = next(line for line in status.splitlines() if line.startswith("PPid:"))
    return int(line.split()[1])


def test_a_worker_process_runs_at_the_configured_niceness_with_all_its_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_stores: None
) -> None:
    # given the setting
    monkeypatch.setenv("WORKER_NICE", "7")
    # when the worker command starts
    process = spawn_worker(tmp_path / "worker.log", threads=2)
    try:
        threads = eventually(lambda: worker_threads(process.pid), timeout=60)
        # then every thread of its worker process runs at that niceness, the command's own not
        assert {niceness(task) for task in threads} == {7}
        assert niceness(Path(f"/proc/{process.pid}")) == 0
    finally:
        stop(process)
