"""The operator's commands on the real stores: status, sync status, reconcile, worker health."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from ops.processes import spawn, stop
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from pathlib import Path

    import dramatiq
    from neo4j import Driver

    from config.settings import Settings

LEARNGRAPH = [sys.executable, "-m", "cli"]
# A `learngraph` process's start on a saturated 2-core machine: measured 10 s to the first
# refresh at load 5 and 20 s at load 8 (about 2.5 s of CPU, most of it compiling the modules it
# imports when no bytecode is cached), so 60 s from the start was not always enough.
CLI_START_SECONDS = 120


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def status_json() -> tuple[int, dict[str, Any]]:
    result = run("status", "--json")
    return result.exit_code, json.loads(result.output)


def all_is_well() -> dict[str, Any] | None:
    """The report once all is well and nothing is left on its way to the graph."""
    code, report = status_json()
    counts = report["outbox"]["counts"]
    settled = counts["pending"] + counts["published"] + counts["failed"] == 0
    return report if code == 0 and settled else None


def run_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LEARNGRAPH, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=CLI_START_SECONDS,
        check=False,
    )


def test_status_is_well_once_the_graph_holds_every_row(worker: dramatiq.Worker) -> None:
    # given the bootstrap admin written to PostgreSQL and a worker running
    # when the worker has applied it
    report = eventually(all_is_well, timeout=30, interval=0.2)
    # then both stores hold one user, the outbox is done and this worker is seen
    users = next(row for row in report["entities"] if row["entity_type"] == "user")
    assert (users["postgresql"], users["neo4j"], users["differs"]) == (1, 1, False)
    assert report["stores"] == {"postgresql": "ok", "neo4j": "ok", "redis": "ok"}
    assert report["outbox"]["counts"]["completed"] == 1
    assert os.getpid() in [beat["pid"] for beat in report["workers"]]
    assert report["problems"] == []
    assert report["drift"] == []


def test_status_exits_3_and_reconcile_no_repair_too_when_the_graph_lost_a_node(
    worker: dramatiq.Worker, graph: Driver, settings: Settings
) -> None:
    # given a graph in step, then a user node lost outside the sync
    eventually(all_is_well, timeout=30, interval=0.2)
    graph.execute_query("MATCH (u:User) DETACH DELETE u", database_=settings.neo4j_database)
    # then status reports drift with exit code 3
    code, report = status_json()
    assert code == 3
    assert report["drift"] == ["user: 1 in PostgreSQL, 0 in Neo4j"]
    # and reconcile --no-repair finds it, leaves it and exits 3
    assert run("reconcile", "--no-repair").exit_code == 3
    assert status_json()[0] == 3
    # and reconcile repairs it, after which all is well again
    repaired = run("reconcile")
    assert repaired.exit_code == 0, repaired.output
    assert run("reconcile", "--no-repair").exit_code == 0
    assert status_json()[0] == 0


def test_status_names_what_is_wrong_without_a_worker() -> None:
    # given no worker running (the admin's event waits in the queue)
    code, report = status_json()
    # then status fails and says why
    assert code == 1
    assert "no worker seen recently (no heartbeat)" in report["problems"]


def test_status_names_a_store_that_is_down_and_exits_1() -> None:
    # when Neo4j's address has nothing listening
    done = run_process("status", NEO4J_URI="bolt://127.0.0.1:9")
    # then the report still comes, naming Neo4j as down, and the exit code is 1
    assert done.returncode == 1, done.stderr
    assert "neo4j" in done.stdout
    assert "down: Neo4j (bolt://127.0.0.1:9)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (
            ("sync", "status"),
            {"DATABASE_URL": "postgresql://u:secret@127.0.0.1:9/x"},
            "PostgreSQL (postgresql://127.0.0.1:9/x): ",
        ),
        (
            ("worker-health",),
            {"REDIS_URL": "redis://127.0.0.1:9/0"},
            "Redis (redis://127.0.0.1:9/0): ",
        ),
        (("reconcile",), {"NEO4J_URI": "bolt://127.0.0.1:9"}, "Neo4j (bolt://127.0.0.1:9): "),
        (("status",), {"TOKEN_SECRET": "short"}, "setting TOKEN_SECRET: "),
    ],
)
def test_a_store_down_or_a_bad_setting_is_one_line_and_exit_1(
    args: tuple[str, ...], env: dict[str, str], line: str
) -> None:
    done = run_process(*args, **env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "secret" not in done.stderr
    assert done.stderr.startswith(f"Error: {line}")
    assert done.stderr.count("\n") == 1, done.stderr


def test_sync_status_prints_json() -> None:
    # given the admin's event waiting (no worker)
    result = run("sync", "status", "--json")
    # then the figures come as JSON
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["counts"]["published"] + figures["counts"]["pending"] == 1
    assert figures["graph_available"] is True
    assert figures["by_entity_type"] == [
        {"entity_type": "user", "pending": 1, "failed": 0, "dead": 0}
    ]


def refreshes_printed(log: Path) -> int:
    return log.read_text(errors="replace").count("sync status at")


def test_sync_status_watch_refreshes_until_interrupted(tmp_path: Path) -> None:
    # given the watch running in its own process, its output in a file (it never waits for a
    # reader)
    log = tmp_path / "watch.log"
    process = spawn([*LEARNGRAPH, "sync", "status", "--watch", "--interval", "0.2"], log)
    try:
        # then it prints the figures again and again
        eventually(
            lambda: refreshes_printed(log) >= 2 or process.poll() is not None,
            timeout=CLI_START_SECONDS,
        )
        assert process.poll() is None, log.read_text()
        assert refreshes_printed(log) >= 2
        # when the operator presses Ctrl-C
        process.send_signal(signal.SIGINT)
        # then it stops cleanly
        assert process.wait(timeout=60) == 0, log.read_text()
    finally:
        stop(process)


def test_worker_health_sees_a_worker_on_this_host(worker: dramatiq.Worker) -> None:
    eventually(lambda: run("worker-health").exit_code == 0, timeout=15)
    assert "worker process(es) on" in run("worker-health").output


def test_worker_health_fails_without_a_worker() -> None:
    result = run("worker-health")
    assert result.exit_code == 1
    assert "no worker heartbeat from" in result.output
