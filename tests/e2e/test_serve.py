"""`learngraph serve --workers N`: several API processes behind one port, one set of metrics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from ops.processes import BIN, free_port, spawn, stop
from tests.support.processes import ready
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import Iterator

REQUESTS = 24


def _workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def _served_operations(metrics: str) -> float:
    found = re.search(
        r'^learngraph_graphql_request_seconds_count\{operation_type="query"\} (\S+)$',
        metrics,
        re.MULTILINE,
    )
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def two_process_server(tmp_path: Path, engine: object) -> Iterator[tuple[int, str]]:
    port = free_port()
    args = [str(BIN / "learngraph"), "serve", "--workers", "2", "--port", str(port)]
    process = spawn(args, tmp_path / "serve.log")
    base = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: ready(f"{base}/healthz") or process.poll() is not None, timeout=120)
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        assert eventually(lambda: len(_workers_of(process.pid)) == 2, timeout=30)
        yield process.pid, base
    finally:
        stop(process)


def test_every_process_counts_in_the_metrics_whichever_answers_the_scrape(
    two_process_server: tuple[int, str],
) -> None:
    # given two API processes behind one port
    pid, base = two_process_server
    assert len(_workers_of(pid)) == 2
    # when queries arrive on new connections (so either process may take each)
    for _ in range(REQUESTS):
        with httpx.Client(base_url=base) as client:
            response = client.post("/graphql", json={"query": "{ __typename }"})
            assert response.json() == {"data": {"__typename": "Query"}}
    # then every scrape, whichever process serves it, counts all of them
    for _ in range(4):
        with httpx.Client(base_url=base) as client:
            assert _served_operations(client.get("/metrics").text) == REQUESTS
