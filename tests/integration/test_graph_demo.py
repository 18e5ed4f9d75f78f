"""Graph reads on the demo world, synced to Neo4j by a real worker: the documented answers."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

from cli.setup import seed_demo
from tests.support.contract import operation
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq

    from config.settings import Settings
    from tests.support.api import Api

PATHS_CONTAINING = operation("PathsContaining")

SHARED_CONCEPTS = operation("SharedConcepts")

PREREQUISITE_ROUTE = operation("PrerequisiteRoute")

CONCEPT_NEIGHBORHOOD = operation("ConceptNeighborhood")

CHAIN = """
query Chain($name: String!) {
  concept(name: $name) {
    id
    prerequisiteChain { id name }
    relations { kind strength reason source { id name } target { id name } }
    learningPaths { id title }
  }
}
"""

PREREQUISITE_LINKS = """
SELECT s.name, t.name FROM concept_relations r
JOIN concepts s ON s.id = r.source_id JOIN concepts t ON t.id = r.target_id
WHERE r.kind = 'prerequisite'
"""


@pytest.fixture
def demo_world(worker: dramatiq.Worker, settings: Settings, engine: Engine) -> None:
    """Given the demo world seeded and every outbox event applied to the graph."""
    seed_demo(settings, echo=lambda _: None)
    open_events = text("SELECT count(*) FROM outbox_events WHERE status <> 'completed'")

    def synced() -> bool:
        with engine.connect() as connection:
            return connection.execute(open_events).scalar() == 0

    eventually(synced, timeout=60)


def prerequisite_links(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as connection:
        return {(row[0], row[1]) for row in connection.execute(text(PREREQUISITE_LINKS))}


async def test_machine_learning_is_in_exactly_the_two_documented_paths(
    api: Api, demo_world: None
) -> None:
    # when the paths containing machine learning are asked for
    data = await api.data(PATHS_CONTAINING, {"name": "machine_learning"})
    # then they are exactly the two the demo documents, by title
    titles = [path["title"] for path in data["pathsContaining"]]
    assert titles == ["Data Science Track", "Mastering Computer Science"]


async def test_data_structures_is_shared_by_all_four_paths(api: Api, demo_world: None) -> None:
    # when concepts in at least four paths are asked for
    shared = (await api.data(SHARED_CONCEPTS, {"minPaths": 4}))["sharedConcepts"]
    # then data structures is among them, with its four paths
    by_name = {entry["concept"]["name"]: entry for entry in shared}
    assert by_name["data_structures"]["pathCount"] == 4
    assert len(by_name["data_structures"]["paths"]) == 4
    assert all(entry["pathCount"] >= 4 for entry in shared)


async def test_shared_concepts_come_most_shared_first(api: Api, demo_world: None) -> None:
    shared = (await api.data(SHARED_CONCEPTS, {"minPaths": 1}))["sharedConcepts"]
    counts = [entry["pathCount"] for entry in shared]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 4


async def test_the_prerequisite_chain_of_machine_learning_is_in_a_valid_learning_order(
    api: Api, demo_world: None, engine: Engine
) -> None:
    # when the machine learning page asks for the whole chain
    page = (await api.data(CHAIN, {"name": "machine_learning"}))["concept"]
    names = [concept["name"] for concept in page["prerequisiteChain"]]
    # then every concept comes once, after each of its own prerequisites in the chain
    assert names
    assert len(names) == len(set(names))
    place = {name: index for index, name in enumerate(names)}
    for before, after in prerequisite_links(engine):
        if before in place and after in place:
            assert place[before] < place[after], (before, after, names)
    # and the direct prerequisites are all in it
    direct = {before for before, after in prerequisite_links(engine) if after == "machine_learning"}
    assert direct <= set(names)
    # and its relations and paths come from the graph too
    assert {relation["kind"] for relation in page["relations"]} >= {"PREREQUISITE"}
    assert [path["title"] for path in page["learningPaths"]] == [
        "Data Science Track",
        "Mastering Computer Science",
    ]


async def test_the_prerequisite_route_follows_links_in_learning_order(
    api: Api, demo_world: None, engine: Engine
) -> None:
    # given a concept two or more links before machine learning
    links = prerequisite_links(engine)
    route: list[dict[str, Any]] = (
        await api.data(PREREQUISITE_ROUTE, {"from": "programming_basics", "to": "machine_learning"})
    )["prerequisiteRoute"]
    names = [concept["name"] for concept in route]
    # then the route starts and ends where asked, and each step is a prerequisite link
    assert names[0] == "programming_basics"
    assert names[-1] == "machine_learning"
    assert all(step in links for step in itertools.pairwise(names))
    # and going against the links finds no route
    back = await api.data(
        PREREQUISITE_ROUTE, {"from": "machine_learning", "to": "programming_basics"}
    )
    assert back["prerequisiteRoute"] == []


async def test_the_neighborhood_holds_the_centre_and_edges_between_its_nodes(
    api: Api, demo_world: None
) -> None:
    found = (await api.data(CONCEPT_NEIGHBORHOOD, {"name": "databases", "depth": 1}))[
        "conceptNeighborhood"
    ]
    names = [node["name"] for node in found["nodes"]]
    assert names[0] == "databases"
    assert {"web_development", "discrete_mathematics"} <= set(names)
    ids = {node["id"] for node in found["nodes"]}
    assert found["edges"]
    assert all(edge["source"] in ids and edge["target"] in ids for edge in found["edges"])
    assert {"RELATED_TO", "BUILDS_UPON"} <= {edge["kind"] for edge in found["edges"]}


JOURNEY = """
query Journey {
  me {
    progress(first: 50) {
      edges { node { status progressPercent concept { name learningPaths { title } } } }
    }
  }
}
"""

PATHS_OF_CONCEPTS = """
SELECT c.name, p.title FROM learning_path_items i
JOIN concepts c ON c.id = i.concept_id JOIN learning_paths p ON p.id = i.path_id
"""


async def test_a_learners_journey_shows_status_percent_and_the_paths_of_each_concept(
    api: Api, demo_world: None, engine: Engine
) -> None:
    # given alice, a demo learner with progress
    await api.sign_in("alice", "alice-password")
    # when her journey is read: SQL progress, each concept's paths from the graph
    edges = (await api.data(JOURNEY))["me"]["progress"]["edges"]
    # then every step has a status and a percent, and lists exactly the paths holding its concept
    with engine.connect() as connection:
        expected: dict[str, set[str]] = {}
        for name, title in connection.execute(text(PATHS_OF_CONCEPTS)):
            expected.setdefault(name, set()).add(title)
    assert edges
    for edge in edges:
        step = edge["node"]
        assert step["status"] in {"NOT_STARTED", "IN_PROGRESS", "COMPLETED", "MASTERED"}
        assert 0 <= step["progressPercent"] <= 100
        titles = {path["title"] for path in step["concept"]["learningPaths"]}
        assert titles == expected.get(step["concept"]["name"], set())
    assert any(step["node"]["concept"]["learningPaths"] for step in edges)
