"""Over real HTTP: GraphiQL is served, readiness names the stores, a concept reaches the graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from sqlalchemy import Engine, text

from tests.support.waiting import eventually

if TYPE_CHECKING:
    import subprocess

    from neo4j import Driver

    from config.settings import Settings

LOGIN = (
    'mutation { login(username: "admin", password: "admin-password") { token errors { code } } }'
)
CREATE = """
mutation CreateConcept($input: CreateConceptInput!) {
  createConcept(input: $input) { concept { id name version } syncToken errors { field message code } }
}
"""


def _graph_versions(graph: Driver, settings: Settings, concept_id: str) -> list[int]:
    records, _, _ = graph.execute_query(
        "MATCH (c:Concept {id: $id}) RETURN c.version AS v",
        id=concept_id,
        database_=settings.neo4j_database,
    )
    return [record["v"] for record in records]


def test_graphiql_is_served_on_get_and_readiness_reports_every_store(server: str) -> None:
    page = httpx.get(f"{server}/graphql", headers={"Accept": "text/html"})
    ready = httpx.get(f"{server}/readyz")

    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"postgresql": "ok", "neo4j": "ok", "redis": "ok"}


def test_a_concept_created_over_http_is_applied_to_neo4j_by_a_real_worker(
    server: str,
    worker_process: subprocess.Popen[bytes],
    graph: Driver,
    engine: Engine,
    settings: Settings,
) -> None:
    # given an admin token from the login mutation
    token = httpx.post(f"{server}/graphql", json={"query": LOGIN}).json()["data"]["login"]["token"]
    # when a concept is created over HTTP
    variables = {
        "input": {"name": "recursion", "displayName": "Recursion", "difficulty": "BEGINNER"}
    }
    response = httpx.post(
        f"{server}/graphql",
        json={"query": CREATE, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    payload = response.json()["data"]["createConcept"]
    assert payload["errors"] == []
    # then the worker process writes the node, and then marks the outbox event completed
    assert eventually(
        lambda: _graph_versions(graph, settings, payload["concept"]["id"]) == [1], timeout=30
    )

    def statuses() -> list[str]:
        with engine.connect() as connection:
            query = text("SELECT status FROM outbox_events WHERE entity_id = :id")
            return list(connection.execute(query, {"id": payload["concept"]["id"]}).scalars())

    assert eventually(lambda: statuses() == ["completed"], timeout=10)
