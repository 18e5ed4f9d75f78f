"""A full run over real processes: JSON log lines that tie together, and no secret in them."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from ops.processes import stop
from tests.support.processes import spawn_api, spawn_worker
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from neo4j import Driver

    from config.settings import Settings

JSON_LOGS = {"LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"}
LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token errors { code } }
}
"""
CREATE = """
mutation CreateConcept($input: CreateConceptInput!) {
  createConcept(input: $input) { concept { id } errors { code } }
}
"""


def json_lines(log: Path) -> list[dict[str, Any]]:
    """The log's whole lines as JSON (a process may be in the middle of writing the last one)."""
    text = log.read_text()
    written = text[: text.rfind("\n") + 1]
    return [json.loads(line) for line in written.splitlines() if line.startswith("{")]


@pytest.fixture
def logs(tmp_path: Path, engine: object) -> Iterator[tuple[str, Path, Path]]:
    """The API and a worker with JSON logs at DEBUG level; yields the URL and both log files."""
    api_log, worker_log = tmp_path / "api.log", tmp_path / "worker.log"
    api, base = spawn_api(api_log, env=JSON_LOGS)
    worker = spawn_worker(worker_log, env=JSON_LOGS)
    try:
        yield base, api_log, worker_log
    finally:
        stop(api)
        stop(worker)


def concept_in_graph(graph: Driver, settings: Settings, concept_id: str) -> bool:
    records, _, _ = graph.execute_query(
        "MATCH (c:Concept {id: $id}) RETURN c", id=concept_id, database_=settings.neo4j_database
    )
    return bool(records)


def test_a_full_run_logs_json_lines_that_tie_together_and_no_secret(
    logs: tuple[str, Path, Path], graph: Driver, settings: Settings
) -> None:
    base, api_log, worker_log = logs
    # given a login (a password in the request) and a token (in a header)
    password = settings.lg_admin_password.get_secret_value()
    login = httpx.post(
        f"{base}/graphql",
        json={"query": LOGIN, "variables": {"username": "admin", "password": password}},
    )
    token = login.json()["data"]["login"]["token"]
    generated = login.headers["x-request-id"]
    # when a concept is created with a request id of the caller's
    created = httpx.post(
        f"{base}/graphql",
        json={
            "query": CREATE,
            "variables": {
                "input": {"name": "logs", "displayName": "Logs", "difficulty": "BEGINNER"}
            },
        },
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "e2e-create-1"},
    )
    concept_id = created.json()["data"]["createConcept"]["concept"]["id"]
    # and a request with a forged token and a hostile request id
    forged = httpx.post(
        f"{base}/graphql",
        json={"query": "{ me { id } }"},
        headers={"Authorization": f"Bearer {token}x", "X-Request-Id": "bad id {with} spaces"},
    )
    eventually(lambda: concept_in_graph(graph, settings, concept_id), timeout=30)
    # then the request ids are echoed: the caller's when it is a plain token, a new one otherwise
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert created.headers["x-request-id"] == "e2e-create-1"
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])

    # then every API line is JSON with time, level and process
    api_text = api_log.read_text()
    api_lines = json_lines(api_log)
    assert len(api_lines) == len(api_text.splitlines())
    assert all({"timestamp", "level", "event", "process"} <= set(line) for line in api_lines)
    # and the create's lines share its request id, name the operation and the user, and the events
    mine = [line for line in api_lines if line.get("request_id") == "e2e-create-1"]
    operation = next(line for line in mine if line["event"] == "graphql operation")
    assert (operation["operation"], operation["operation_type"]) == ("CreateConcept", "mutation")
    assert operation["user_id"]
    assert operation["errors"] == []
    committed = next(line for line in mine if line["event"] == "outbox events committed")
    assert committed["correlation_id"]
    assert len(committed["event_ids"]) == 1
    request = next(line for line in mine if line["event"] == "request")
    assert (request["method"], request["path"], request["status"]) == ("POST", "/graphql", 200)
    # and the worker logged the same event id for the message that carried it (a batch of another
    # message may have applied it first, so this waits for that message's own line)
    event_id = committed["event_ids"][0]

    def processed_mine() -> bool:
        processed = (
            line for line in json_lines(worker_log) if line["event"] == "message processed"
        )
        return any(event_id in line.get("event_ids", []) for line in processed)

    eventually(processed_mine, timeout=30)

    # then no secret, token or password is anywhere in either log
    everything = api_text + worker_log.read_text()
    secrets = [
        password,
        token,
        token.split(".")[2],
        settings.token_secret.get_secret_value(),
        settings.neo4j_password.get_secret_value(),
    ]
    assert [secret for secret in secrets if secret in everything] == []
    assert "Bearer" not in everything
