"""The benchmark harness runs end to end on tiny data, so that it never rots.

No timing is asserted here: performance targets live in benchmarks/, reported as ratios.
The harness runs in a process of its own on the test stores (this run's database and Redis);
on the shared test graph it deletes only the nodes it created.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.env import TEST_ENV

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "ours", "baseline", "ratio", "goal", "meets_goal", "unit"}


@pytest.fixture(autouse=True)
def clean_stores() -> None:
    """The harness empties and fills its stores itself (overrides the suite's per-test reset)."""


def test_the_benchmark_harness_writes_a_result_row_for_every_comparison(tmp_path: Path) -> None:
    # given the test stores, and tiny data
    env = {**os.environ, **TEST_ENV}
    # when the harness runs every suite
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--scale",
            "tiny",
            "--stores",
            "env",
            "--shared-graph",
            "--output",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # then it finishes and writes latest.json with the required keys, and machine.json
    assert done.returncode == 0, done.stderr[-4000:]
    rows = json.loads((tmp_path / "latest.json").read_text())
    assert rows
    assert all(set(row) >= KEYS for row in rows)
    # and no suite failed but for the shared test graph changing under it (other runs wipe it)
    assert [row["notes"] for row in rows if row["notes"].startswith("failed")] == []
    names = " ".join(row["name"] for row in rows)
    for suite in ("read.Dashboard", "read.Concepts", "write.", "sync.", "lag.", "reconcile."):
        assert suite in names
    assert "cpus" in json.loads((tmp_path / "machine.json").read_text())
