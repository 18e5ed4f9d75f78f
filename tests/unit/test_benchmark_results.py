"""A benchmark run of some suites replaces their rows and keeps the others'."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from benchmarks.results import Result, write_results

if TYPE_CHECKING:
    from pathlib import Path


def row(name: str, ours: float) -> Result:
    return Result(name, ours, 1.0, ours, "-", None, "ms")


def test_a_run_of_some_suites_keeps_the_rows_of_the_others(tmp_path: Path) -> None:
    # given a full run's rows
    write_results([row("read.Dashboard.c1", 1), row("write.create", 2)], tmp_path, scale="quick")
    # when only the reads run again
    write_results([row("read.Dashboard.c1", 3)], tmp_path, scale="quick", suites=["reads"])
    # then the reads are the new ones and the writes are kept, and machine.json says so
    rows = {
        item["name"]: item["ours"] for item in json.loads((tmp_path / "latest.json").read_text())
    }
    assert rows == {"read.Dashboard.c1": 3, "write.create": 2}
    machine = json.loads((tmp_path / "machine.json").read_text())
    assert machine["suites_measured"] == ["reads"]
    assert machine["other_rows_from"]


def test_a_full_run_replaces_every_row(tmp_path: Path) -> None:
    write_results([row("read.Dashboard.c1", 1), row("write.create", 2)], tmp_path, scale="quick")
    write_results([row("read.Dashboard.c1", 3)], tmp_path, scale="quick")
    rows = [item["name"] for item in json.loads((tmp_path / "latest.json").read_text())]
    assert rows == ["read.Dashboard.c1"]
