"""Neo4j stopped: graph fields SQL can answer come from SQL, the others fail alone.

And once Neo4j is back, the same API process answers from the graph again: no HTTP 500, no
errors, no `extensions.degraded`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING, Any

import httpx

from domain.events import EntityType
from persistence.sql.models import Concept, ConceptRelation, LearningPathItem
from resolvers.loaders.federated import COOL_DOWN_SECONDS
from tests.support.mirroring import World, concept, key, path
from tests.support.waiting import eventually, eventually_async

if TYPE_CHECKING:
    from tests.faults.conftest import ApiFactory, FaultStores
    from tests.support.api import Api

PAGE = """
query Page($name: String!, $pathId: ID!) {
  concept(name: $name) {
    name
    prerequisites(depth: 3) { name }
    prerequisiteChain { name }
    dependents(depth: 1) { name }
    related { name }
    buildsUpon { name }
    learningPaths { title }
  }
  learningPath(id: $pathId) { title concepts { orderIndex concept { name } } }
  pathsContaining(conceptName: $name) { title }
  conceptNeighborhood(name: $name, depth: 1) { nodes { name } }
}
"""


GRAPH_ONLY = """
query GraphOnly($name: String!) {
  concept(name: $name) { name related { name } }
  conceptNeighborhood(name: $name, depth: 1) { nodes { name } }
  prerequisiteRoute(from: "a_basics", to: $name) { name }
  sharedConcepts(minPaths: 1) { concept { name } pathCount }
  me { username recommendations(first: 5) { concept { name } } }
}
"""
# concept.prerequisites fails (a non-null field), so graphql-core cancels its siblings, among
# them concept.learningPaths, which waits for the same loader key as pathsContaining
SIBLING_FAILS = """
query SiblingFails($name: String!) {
  concept(name: $name) { name prerequisites(depth: 99) { name } learningPaths { title } }
  pathsContaining(conceptName: $name) { title }
}
"""
GRAPH_ONLY_FIELDS = ("conceptNeighborhood", "prerequisiteRoute", "sharedConcepts")
UNAVAILABLE = "the knowledge graph is unavailable; try again shortly"


def link(source: Concept, target: Concept, kind: str = "prerequisite") -> ConceptRelation:
    return ConceptRelation(
        id=uuid.uuid4(), source_id=source.id, target_id=target.id, kind=kind, strength=0.5
    )


def small_world(stores: FaultStores) -> str:
    """a -> b -> c (prerequisites), a -> c, c related to d, c builds upon d, path [a, b, c]."""
    world = World(stores.engine, stores.graph, stores.settings)
    a, b, c, d = (concept(name) for name in ("a_basics", "b_middle", "c_target", "d_other"))
    relations = [link(a, b), link(b, c), link(a, c)]
    relations += [link(c, d, "related_to"), link(c, d, "builds_upon")]
    track = path("Track")
    world.add(a, b, c, d, track)
    world.add(*relations)
    world.add(
        *[
            LearningPathItem(path_id=track.id, concept_id=item.id, order_index=index)
            for index, item in enumerate((a, b, c))
        ]
    )
    # concepts and links written as the sync mirrors them, so this test depends on reads only
    world.query(
        "UNWIND $rows AS row MERGE (c:Concept {id: row.id}) SET c.name = row.name, c.version = 1",
        rows=[{"id": str(row.id), "name": row.name} for row in (a, b, c, d)],
    )
    for relation in relations:
        world.query(
            f"MATCH (s:Concept {{id: $source}}), (t:Concept {{id: $target}}) "
            f"MERGE (s)-[r:{relation.kind.upper()}]->(t) "
            "SET r.id = $id, r.strength = 0.5, r.reason = null, r.version = 1",
            source=str(relation.source_id),
            target=str(relation.target_id),
            id=str(relation.id),
        )
    # applied in-process with the fault profile's stores (not get_settings(): the test profile)
    assert world.apply(key(EntityType.LEARNING_PATH, track.id)).events == 1
    mirrored = "MATCH (:LearningPath {id: $id})-[r:CONTAINS]->(:Concept) RETURN count(r) AS n"
    assert world.query(mirrored, id=str(track.id))[0]["n"] == 3
    links = "MATCH (:Concept)-[r]->(:Concept) RETURN count(r) AS n"
    assert eventually(lambda: world.query(links)[0]["n"] == len(relations))
    return str(track.id)


def names(entries: list[dict[str, Any]]) -> list[str]:
    return [entry.get("name") or entry["title"] for entry in entries]


async def post(api: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Send a document; the response must be HTTP 200 with a GraphQL body."""
    response = await api.client.post(
        api.path,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {api.token}"} if api.token else {},
    )
    assert response.status_code == 200, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    return body


async def readiness(base: str) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        response = await client.get("/readyz")
    body: dict[str, Any] = response.json()
    return response.status_code, body


def assert_from_the_graph(body: dict[str, Any], healthy: dict[str, Any]) -> None:
    assert "errors" not in body, body
    assert "degraded" not in body.get("extensions", {}), body
    assert body["data"] == healthy["data"]


async def test_graph_fields_fall_back_to_sql_while_neo4j_is_down_and_return_after(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given a small world mirrored to the graph, and the API with a signed-in admin
    path_id = small_world(stores)
    base = stores.api()
    api = http(base)
    await api.sign_in("admin", "admin-password")
    variables = {"name": "c_target", "pathId": path_id}
    # (a freshly started Neo4j plans its first queries slowly: wait for a whole graph answer)
    healthy = await eventually_async(
        lambda: post(api, PAGE, variables), lambda body: "errors" not in body, within=60
    )
    assert_from_the_graph(healthy, healthy)
    graph_only = await post(api, GRAPH_ONLY, {"name": "c_target"})
    assert "errors" not in graph_only, graph_only
    status, ready = await readiness(base)
    assert (status, ready["down"]) == (200, []), ready
    # when Neo4j stops
    stores.stop("neo4j")
    # then the page is answered from SQL, the same as the graph answered it, and says so
    started = time.monotonic()
    body = await post(api, PAGE, variables)
    assert time.monotonic() - started < 8, "a request waited too long for the stopped graph"
    assert_degraded_page(body, healthy)
    # and each field SQL cannot answer fails alone with GRAPH_UNAVAILABLE, the rest intact
    assert_graph_only_fields_fail_alone(await post(api, GRAPH_ONLY, {"name": "c_target"}))
    # and readiness names Neo4j as down
    status, ready = await readiness(base)
    assert status == 503, ready
    assert ready["down"] == ["neo4j"], ready
    # when Neo4j is started again (and the API's pause after a failure has passed)
    starting = asyncio.ensure_future(asyncio.to_thread(stores.start, "neo4j"))
    # (requests while it starts get whole answers, from either store, never an HTTP 500)
    while not starting.done():
        assert_whole_page(await post(api, PAGE, variables), healthy)
        await asyncio.sleep(0.2)
    await starting
    await asyncio.sleep(COOL_DOWN_SECONDS + 0.5)
    # then the next requests are answered from the graph again: HTTP 200, no errors
    for _ in range(3):
        assert_from_the_graph(await post(api, PAGE, variables), healthy)
    assert await post(api, GRAPH_ONLY, {"name": "c_target"}) == graph_only
    # and readiness is ok
    status, ready = await readiness(base)
    assert (status, ready["down"]) == (200, []), ready


def assert_whole_page(body: dict[str, Any], healthy: dict[str, Any]) -> None:
    """The page as the graph or SQL answers it: only the neighbourhood may be missing (the
    graph unreachable, or still too slow to answer within its timeout while it starts)."""
    for field in ("concept", "learningPath", "pathsContaining"):
        assert body["data"][field] == healthy["data"][field], body
    for error in body.get("errors", []):
        assert error["path"] == ["conceptNeighborhood"], body
        assert error["extensions"]["code"] in {"GRAPH_UNAVAILABLE", "GRAPH_TIMEOUT"}, body


def assert_degraded_page(body: dict[str, Any], healthy: dict[str, Any]) -> None:
    for field in ("concept", "learningPath", "pathsContaining"):
        assert body["data"][field] == healthy["data"][field], field
    page = body["data"]["concept"]
    assert names(page["prerequisites"]) == ["a_basics", "b_middle"]
    assert names(page["prerequisiteChain"]) == ["a_basics", "b_middle"]
    assert names(page["related"]) == names(page["buildsUpon"]) == ["d_other"]
    assert names(page["learningPaths"]) == ["Track"]
    degraded = body["extensions"]["degraded"]
    assert degraded["graph"] == "unavailable"
    assert set(degraded["fields"]) >= {
        "concept.prerequisites",
        "concept.prerequisiteChain",
        "concept.dependents",
        "concept.related",
        "concept.buildsUpon",
        "concept.learningPaths",
        "learningPath.concepts",
        "pathsContaining",
    }
    # only the neighbourhood, which SQL cannot draw, fails, with a clear message
    assert body["data"]["conceptNeighborhood"] is None
    assert [(e["path"], e["message"]) for e in body["errors"]] == [
        (["conceptNeighborhood"], UNAVAILABLE)
    ]


def assert_graph_only_fields_fail_alone(body: dict[str, Any]) -> None:
    data = body["data"]
    assert data["concept"] == {"name": "c_target", "related": [{"name": "d_other"}]}
    assert data["me"]["username"] == "admin"
    failed = {
        ".".join(map(str, error["path"])): (error["message"], error["extensions"]["code"])
        for error in body["errors"]
    }
    paths = [*GRAPH_ONLY_FIELDS, "me.recommendations"]
    assert failed == dict.fromkeys(paths, (UNAVAILABLE, "GRAPH_UNAVAILABLE")), body["errors"]
    assert all(data[field] is None for field in GRAPH_ONLY_FIELDS)
    assert data["me"]["recommendations"] is None
    assert body["extensions"]["degraded"]["fields"] == ["concept.related"]


async def test_a_failing_field_does_not_cancel_another_field_loading_the_same_key(
    stores: FaultStores, http: ApiFactory
) -> None:
    # given a small world and the API (all stores up)
    small_world(stores)
    api = http(stores.api())
    # when a non-null concept field fails while a sibling and another root field share a load
    body = await post(api, SIBLING_FAILS, {"name": "c_target"})
    # then only that field's error is reported (HTTP 200) and the other root field is answered
    assert body["data"] == {"concept": None, "pathsContaining": [{"title": "Track"}]}, body
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["concept", "prerequisites"], "VALIDATION")
    ]
