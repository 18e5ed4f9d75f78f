"""Concept and path fields read from the graph: walks, bounds, order, and the SQL fallback."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update

from domain.events import EntityType
from persistence.sql.models import Concept, ConceptRelation, LearningPath, LearningPathItem
from tests.support.contract import operation
from tests.support.mirroring import World, concept, key, path

if TYPE_CHECKING:
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.api import Api

WALKS = """
query Walks($name: String!, $depth: Int!) {
  concept(name: $name) {
    prerequisites(depth: $depth) { name }
    prerequisiteChain { name }
    dependents(depth: $depth) { name }
    related { name }
    buildsUpon { name }
    relations { kind strength source { name } target { name } }
    learningPaths { title }
  }
}
"""

PATH_CONCEPTS = """
query LearningPath($id: ID!) {
  learningPath(id: $id) { id concepts { orderIndex isRequired concept { name } } }
}
"""

PATHS_CONTAINING = operation("PathsContaining")


def link(source: Concept, target: Concept, kind: str = "prerequisite") -> ConceptRelation:
    return ConceptRelation(
        id=uuid.uuid4(), source_id=source.id, target_id=target.id, kind=kind, strength=0.5
    )


def diamond(world: World) -> dict[str, Concept]:
    """a -> b -> c -> d and a -> c (prerequisites), d related to e, d builds upon e."""
    named = {name: concept(name) for name in "abcde"}
    a, b, c, d, e = named.values()
    relations = [link(a, b), link(b, c), link(c, d), link(a, c)]
    relations += [link(d, e, "related_to"), link(d, e, "builds_upon")]
    world.add(*named.values())
    world.add(*relations)
    world.apply(
        *[key(EntityType.CONCEPT, row.id) for row in named.values()],
        *[key(EntityType.CONCEPT_RELATION, row.id) for row in relations],
    )
    return named


async def walks(api: Api, name: str, depth: int) -> dict[str, list[str]]:
    found = (await api.data(WALKS, {"name": name, "depth": depth}))["concept"]
    return {
        field: [entry.get("name") or entry.get("title") for entry in value]
        for field, value in found.items()
        if field != "relations"
    }


async def test_walks_are_nearest_first_without_duplicates_and_bounded_by_depth(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given a -> b -> c -> d with a shortcut a -> c, in the graph
    diamond(World(engine, graph, settings))
    # when d's prerequisites are walked one and two links deep
    one, two = await walks(api, "d", 1), await walks(api, "d", 2)
    # then only c is one link away, and a (two via the shortcut) comes once, before b by name
    assert one["prerequisites"] == ["c"]
    assert two["prerequisites"] == ["c", "a", "b"]
    # and a's dependents are found the other way round
    assert (await walks(api, "a", 2))["dependents"] == ["b", "c", "d"]
    assert (await walks(api, "a", 1))["dependents"] == ["b", "c"]


async def test_the_chain_puts_every_prerequisite_after_its_own(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given the diamond in the graph
    diamond(World(engine, graph, settings))
    # when d's whole chain is read
    found = await walks(api, "d", 1)
    # then a comes before b, b before c: each after its prerequisites, once each
    assert found["prerequisiteChain"] == ["a", "b", "c"]
    assert found["related"] == ["e"]
    assert found["buildsUpon"] == ["e"]
    assert (await walks(api, "e", 1))["related"] == ["d"]  # related either way
    assert (await walks(api, "e", 1))["buildsUpon"] == []


async def test_relations_list_every_link_at_a_concept_with_its_ends(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    diamond(World(engine, graph, settings))
    found = (await api.data(WALKS, {"name": "d", "depth": 1}))["concept"]["relations"]
    ends = sorted((r["kind"], r["source"]["name"], r["target"]["name"]) for r in found)
    assert ends == [
        ("BUILDS_UPON", "d", "e"),
        ("PREREQUISITE", "c", "d"),
        ("RELATED_TO", "d", "e"),
    ]


async def test_a_depth_out_of_bounds_is_refused_on_that_field(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given the diamond
    diamond(World(engine, graph, settings))
    # when a walk asks for no depth, or for more than the server allows
    shallow = await api.send(WALKS, {"name": "d", "depth": 0})
    deep = await api.send('{ conceptNeighborhood(name: "d", depth: 99) { nodes { id } } }')
    # then each is a VALIDATION error naming the argument
    for body in (shallow, deep):
        codes = {(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]}
        assert codes == {("VALIDATION", "depth")}, body


def mirrored_path(world: World, *others: Concept) -> tuple[Concept, Concept, LearningPath]:
    """A path of first_step (required) then second_step (optional), mirrored with the
    concepts and any others."""
    first, second = concept("first_step"), concept("second_step")
    track = path("Track")
    world.add(first, second, *others, track)
    world.add(
        LearningPathItem(path_id=track.id, concept_id=first.id, order_index=0, is_required=True),
        LearningPathItem(path_id=track.id, concept_id=second.id, order_index=1, is_required=False),
    )
    world.apply(
        *(key(EntityType.CONCEPT, c.id) for c in (first, second, *others)),
        key(EntityType.LEARNING_PATH, track.id),
    )
    return first, second, track


async def concepts_of(api: Api, track: LearningPath) -> list[dict[str, Any]]:
    """The path's concepts as PATH_CONCEPTS reads them."""
    data = await api.data(PATH_CONCEPTS, {"id": str(track.id)})
    found: list[dict[str, Any]] = data["learningPath"]["concepts"]
    return found


async def test_path_concepts_come_from_the_graph_once_it_holds_the_paths_version(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given a path of a then b, mirrored
    world = World(engine, graph, settings)
    first, _, track = mirrored_path(world)
    # when the graph alone says the order is reversed (a change outside the sync)
    world.query(
        "MATCH (:LearningPath {id: $id})-[r:CONTAINS]->(c:Concept) "
        "SET r.order_index = CASE c.id WHEN $first THEN 1 ELSE 0 END",
        id=str(track.id),
        first=str(first.id),
    )
    read = await concepts_of(api, track)
    # then the path's concepts are the graph's
    assert [(i["orderIndex"], i["concept"]["name"]) for i in read] == [
        (0, "second_step"),
        (1, "first_step"),
    ]
    # and once SQL holds a newer version than the graph, SQL answers until the sync catches up
    world.execute(update(LearningPath).where(LearningPath.id == track.id).values(version=2))
    read = await concepts_of(api, track)
    assert [(i["orderIndex"], i["isRequired"], i["concept"]["name"]) for i in read] == [
        (0, True, "first_step"),
        (1, False, "second_step"),
    ]


async def test_a_concept_a_newer_graph_lists_in_a_path_is_read_on_its_own(
    api: Api, engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given a path of a then b, mirrored with a third concept
    world = World(engine, graph, settings)
    third = concept("third_step")
    _, _, track = mirrored_path(world, third)
    # when the graph already holds a later version of the path, with the third concept added
    # (as when SQL changed after the request read it)
    world.query(
        "MATCH (p:LearningPath {id: $id}), (c:Concept {id: $third}) SET p.version = 2 "
        "CREATE (p)-[:CONTAINS {order_index: 2, is_required: true}]->(c)",
        id=str(track.id),
        third=str(third.id),
    )
    read = await concepts_of(api, track)
    # then the graph's order holds it, its concept read from SQL on its own
    assert [(i["orderIndex"], i["isRequired"], i["concept"]["name"]) for i in read] == [
        (0, True, "first_step"),
        (1, False, "second_step"),
        (2, True, "third_step"),
    ]


async def test_an_unknown_concept_name_is_a_not_found_error_on_that_field(api: Api) -> None:
    body = await api.send(PATHS_CONTAINING, {"name": "no_such_concept"})
    assert body["data"] == {"pathsContaining": None}
    error = body["errors"][0]
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "conceptName"}
    assert "no_such_concept" in error["message"]
