"""The first slice: a concept created over GraphQL travels through the outbox to Neo4j."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from tests.support.contract import operation
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.api import Api

CREATE = operation("CreateConcept")

PAGE = """
query ConceptPage($name: String!) {
  concept(name: $name) { id name displayName description difficulty version prerequisites(depth: 3) { id name } }
}
"""


def graph_concept(graph: Driver, settings: Settings, concept_id: str) -> dict[str, Any] | None:
    records, _, _ = graph.execute_query(
        "MATCH (c:Concept {id: $id}) RETURN c {.*} AS c",
        id=concept_id,
        database_=settings.neo4j_database,
    )
    return records[0]["c"] if records else None


def outbox_statuses(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT status FROM outbox_events WHERE entity_type = 'concept'")
            ).scalars()
        )


async def test_a_created_concept_reaches_the_graph_and_completes_its_outbox_event(
    api: Api, worker: dramatiq.Worker, graph: Driver, engine: Engine, settings: Settings
) -> None:
    # given a signed-in admin
    await api.sign_in("admin", "admin-password")
    # when a concept is created
    data = await api.data(
        CREATE,
        {
            "input": {
                "name": "graph_theory",
                "displayName": "Graph Theory",
                "difficulty": "INTERMEDIATE",
            }
        },
    )
    payload = data["createConcept"]
    assert payload["errors"] == []
    assert payload["concept"]["version"] == 1
    assert payload["syncToken"]
    # then the worker writes it to Neo4j and the outbox row is completed
    node = eventually(lambda: graph_concept(graph, settings, payload["concept"]["id"]))
    assert node["name"] == "graph_theory"
    assert node["version"] == 1
    assert eventually(lambda: outbox_statuses(engine) == ["completed"])


async def test_a_duplicate_or_empty_name_is_refused_and_nothing_is_written(
    api: Api, engine: Engine
) -> None:
    await api.sign_in("admin", "admin-password")
    good = {"name": "sets", "displayName": "Sets", "difficulty": "BEGINNER"}
    assert (await api.data(CREATE, {"input": good}))["createConcept"]["errors"] == []

    duplicate = (await api.data(CREATE, {"input": good}))["createConcept"]
    empty = (await api.data(CREATE, {"input": {**good, "name": "  "}}))["createConcept"]

    assert duplicate["concept"] is None
    assert [(e["field"], e["code"]) for e in duplicate["errors"]] == [("name", "DUPLICATE")]
    assert [e["field"] for e in empty["errors"]] == ["name"]
    assert empty["errors"][0]["code"] == "VALIDATION"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar() == 1
        assert (
            connection.execute(
                text("SELECT count(*) FROM outbox_events WHERE entity_type='concept'")
            ).scalar()
            == 1
        )


async def test_creating_a_concept_needs_an_author(api: Api, engine: Engine) -> None:
    data = await api.data(
        CREATE, {"input": {"name": "sets", "displayName": "Sets", "difficulty": "BEGINNER"}}
    )
    assert data["createConcept"]["errors"][0]["code"] == "UNAUTHENTICATED"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar() == 0


async def test_the_concept_page_reads_sql_fields_and_graph_prerequisites(
    api: Api, worker: dramatiq.Worker, graph: Driver, settings: Settings, engine: Engine
) -> None:
    # given the demo concepts with their prerequisite links, applied to the graph
    from cli.setup import seed_demo

    seed_demo(settings, echo=lambda _: None)
    with engine.connect() as connection:
        open_events = "SELECT count(*) FROM outbox_events WHERE status <> 'completed'"
        eventually(lambda: connection.execute(text(open_events)).scalar() == 0)
    # when the machine learning page is read with depth 3
    page = (await api.data(PAGE, {"name": "machine_learning"}))["concept"]
    # then SQL fields and the nearest-first transitive prerequisites (as SQL computes them) come back
    assert page["displayName"] == "Machine Learning"
    assert [p["name"] for p in page["prerequisites"]] == sql_prerequisites(
        engine, "machine_learning", 3
    )


NEAREST_PREREQUISITES = """
WITH RECURSIVE walk(id, depth) AS (
  SELECT r.source_id, 1 FROM concept_relations r JOIN concepts c ON c.id = r.target_id
  WHERE c.name = :name AND r.kind = 'prerequisite'
  UNION
  SELECT r.source_id, w.depth + 1 FROM concept_relations r JOIN walk w ON r.target_id = w.id
  WHERE r.kind = 'prerequisite' AND w.depth < :depth
)
SELECT c.name FROM walk JOIN concepts c ON c.id = walk.id
GROUP BY c.name ORDER BY min(walk.depth), c.name
"""


def sql_prerequisites(engine: Engine, name: str, depth: int) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(text(NEAREST_PREREQUISITES), {"name": name, "depth": depth})
        return list(rows.scalars())
