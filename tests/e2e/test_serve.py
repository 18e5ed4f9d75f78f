"""`learngraph serve --workers N`: several API processes behind one port, one set of metrics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from ops.processes import BIN, free_port, spawn, stop
from tests.support.processes import ready, spawn_api
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


LOGIN = (
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { errors { code } } }"
)


def _failed_sign_ins_from_six_addresses(base: str, username: str) -> list[str]:
    """The error code of six wrong sign-ins, each claiming another X-Forwarded-For."""
    codes = []
    for index in range(6):
        response = httpx.post(
            f"{base}/graphql",
            json={"query": LOGIN, "variables": {"u": username, "p": f"wrong-{index}"}},
            headers={"X-Forwarded-For": f"203.0.113.{index}"},
            timeout=60,
        )
        codes.append(response.json()["data"]["login"]["errors"][0]["code"])
    return codes


@pytest.mark.parametrize(
    ("allowed", "sixth"),
    [(None, "RATE_LIMITED"), ("127.0.0.1", "UNAUTHENTICATED")],
    ids=["no proxy trusted", "a proxy trusted"],
)
def test_a_forwarded_address_counts_only_from_a_proxy_the_settings_trust(
    tmp_path: Path, engine: object, allowed: str | None, sixth: str
) -> None:
    # given the API as `learngraph serve` runs it, with or without a trusted proxy
    env = {"FORWARDED_ALLOW_IPS": allowed} if allowed else {}
    process, base = spawn_api(tmp_path / "serve.log", env, wait=120, serve=True)
    try:
        # when one caller fails to sign in six times, claiming six addresses
        codes = _failed_sign_ins_from_six_addresses(base, "mallory")
    finally:
        stop(process)
    # then, unless a proxy is trusted, all six count against the caller's own address
    assert codes[:5] == ["UNAUTHENTICATED"] * 5
    assert codes[5] == sixth
