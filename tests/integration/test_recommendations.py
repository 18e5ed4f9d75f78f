"""`recommendations` and `pathRecommendations` on User, over real PostgreSQL and Neo4j.

Rows are written to SQL, mirrored to the graph in-process (apply_events), then read over the API.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, func, select

from domain.events import EntityType
from persistence.sql.models import (
    Concept,
    ConceptProgress,
    ConceptRelation,
    LearningPath,
    LearningPathItem,
    LearningPreferences,
    PathEnrollment,
    User,
)
from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_user
from tests.support.mirroring import World, concept, key, path

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tests.support.api import Api

__all__ = ["items", "learning_world", "mirror_all", "mirrored", "prerequisite", "progress"]

T = TypeVar("T")

RECOMMENDATIONS = """
query Recommendations($first: Int) {
  me {
    recommendations(first: $first) { concept { id name displayName difficulty } score reason }
    pathRecommendations(first: 5) { path { id title difficulty } sharedConcepts }
  }
}
"""

OTHERS = """
query User($id: ID!) {
  user(id: $id) { recommendations { concept { name } } pathRecommendations { sharedConcepts } }
}
"""

DASHBOARD = operation("Dashboard")


def mirror_all(world: World) -> None:
    """Apply an update event for every mirrored row the recommendation queries walk."""
    with world.sessions() as session:
        keys = [
            *(key(EntityType.USER, i) for i in session.scalars(select(User.id))),
            *(key(EntityType.CONCEPT, i) for i in session.scalars(select(Concept.id))),
            *(
                key(EntityType.CONCEPT_RELATION, i)
                for i in session.scalars(select(ConceptRelation.id))
            ),
            *(key(EntityType.LEARNING_PATH, i) for i in session.scalars(select(LearningPath.id))),
            *(
                key(EntityType.PATH_ENROLLMENT, *row)
                for row in session.execute(select(PathEnrollment.user_id, PathEnrollment.path_id))
            ),
            *(
                key(EntityType.CONCEPT_PROGRESS, *row)
                for row in session.execute(
                    select(ConceptProgress.user_id, ConceptProgress.concept_id)
                )
            ),
        ]
    world.apply(*keys)


def graph_intact(world: World) -> bool:
    """Every user, concept and progress row of this test is still in the shared graph."""
    with world.sessions() as session:
        user_ids = [str(i) for i in session.scalars(select(User.id))]
        concept_ids = [str(i) for i in session.scalars(select(Concept.id))]
        progress_rows = session.scalar(select(func.count()).select_from(ConceptProgress))
    [found] = world.query(
        "OPTIONAL MATCH (u:User) WHERE u.id IN $users "
        "OPTIONAL MATCH (u)-[r:HAS_PROGRESS]->() "
        "WITH count(DISTINCT u) AS users, count(r) AS progress "
        "OPTIONAL MATCH (c:Concept) WHERE c.id IN $concepts "
        "RETURN users, progress, count(c) AS concepts",
        users=user_ids,
        concepts=concept_ids,
    )
    expected = {"users": len(user_ids), "progress": progress_rows, "concepts": len(concept_ids)}
    return bool(found == expected)


async def mirrored(world: World, read: Callable[[], Awaitable[T]]) -> T:
    """Mirror every row, then read; again if a concurrent test run emptied the shared graph."""
    for _ in range(3):
        mirror_all(world)
        result = await read()
        if graph_intact(world):
            return result
    raise AssertionError("the shared test graph kept being emptied by other runs")


def prerequisite(source: Concept, target: Concept, strength: float = 1.0) -> ConceptRelation:
    return ConceptRelation(
        id=uuid.uuid4(),
        source_id=source.id,
        target_id=target.id,
        kind="prerequisite",
        strength=strength,
    )


def progress(user_id: uuid.UUID, done: Concept, status: str = "completed") -> ConceptProgress:
    percent = 100 if status in ("completed", "mastered") else 40
    return ConceptProgress(
        user_id=user_id, concept_id=done.id, status=status, progress_percent=percent
    )


def items(learning_path: LearningPath, *concepts: Concept) -> list[LearningPathItem]:
    return [
        LearningPathItem(path_id=learning_path.id, concept_id=c.id, order_index=i)
        for i, c in enumerate(concepts)
    ]


def learning_world(world: World, learner: uuid.UUID) -> dict[str, Any]:
    """arrays, recursion done; sorting and hashing and trees unlocked; graphs still locked.

    Rows are in SQL only: read through `mirrored` to put them in the graph.
    """
    named = {
        name: concept(name)
        for name in ("arrays", "recursion", "sorting", "hashing", "trees", "graphs", "sets")
    }
    named["trees"].difficulty = "intermediate"
    c = named
    world.add(
        *named.values(), LearningPreferences(user_id=learner, preferred_difficulty="intermediate")
    )
    world.add(
        prerequisite(c["arrays"], c["sorting"], 1.0),
        prerequisite(c["recursion"], c["sorting"], 0.5),
        prerequisite(c["arrays"], c["hashing"], 0.2),
        prerequisite(c["recursion"], c["trees"], 1.0),
        prerequisite(c["trees"], c["graphs"], 1.0),
        progress(learner, c["arrays"]),
        progress(learner, c["recursion"], "mastered"),
        progress(learner, c["sets"], "in_progress"),
    )
    paths = {title: path(title) for title in ("Algorithms", "Data", "Enrolled", "Graphs")}
    world.add(*paths.values())
    world.add(
        *items(paths["Algorithms"], c["arrays"], c["recursion"], c["sorting"]),
        *items(paths["Data"], c["arrays"], c["hashing"]),
        *items(paths["Enrolled"], c["arrays"], c["recursion"]),
        *items(paths["Graphs"], c["graphs"]),
        PathEnrollment(user_id=learner, path_id=paths["Enrolled"].id),
    )
    return {"concepts": named, "paths": paths}


async def test_recommendations_are_unlocked_concepts_best_first_with_their_reasons(
    api: Api, engine: Engine, world: World
) -> None:
    # given a learner who completed arrays and mastered recursion, and prefers intermediate
    ada = make_user(engine, "ada")
    learning_world(world, ada)
    await api.sign_in("ada", PASSWORD)
    # when she asks what to learn next
    me = (await mirrored(world, lambda: api.data(RECOMMENDATIONS, {"first": 10})))["me"]
    # then unlocked concepts come best first, then the free-standing one she has only started
    found = [(r["concept"]["name"], r["score"], r["reason"]) for r in me["recommendations"]]
    assert found == [
        ("trees", 2.5, "Prerequisite completed: recursion. Matches your preferred difficulty"),
        ("sorting", 1.75, "All 2 prerequisites completed: arrays, recursion"),
        ("hashing", 1.2, "Prerequisite completed: arrays"),
        ("sets", 0.25, "No prerequisites"),
    ]
    # and completed concepts and locked ones never appear
    assert me["recommendations"][0]["concept"]["difficulty"] == "INTERMEDIATE"


async def test_first_caps_the_recommendations(api: Api, engine: Engine, world: World) -> None:
    ada = make_user(engine, "ada")
    learning_world(world, ada)
    await api.sign_in("ada", PASSWORD)
    me = (await mirrored(world, lambda: api.data(RECOMMENDATIONS, {"first": 2})))["me"]
    assert [r["concept"]["name"] for r in me["recommendations"]] == ["trees", "sorting"]


async def test_path_recommendations_count_shared_concepts_and_skip_enrolled_paths(
    api: Api, engine: Engine, world: World
) -> None:
    # given paths sharing 2, 1 and 0 completed concepts, and an enrolled one sharing 2
    ada = make_user(engine, "ada")
    learning_world(world, ada)
    await api.sign_in("ada", PASSWORD)
    # when she asks for paths
    me = (await mirrored(world, lambda: api.data(RECOMMENDATIONS, {"first": 10})))["me"]
    # then the unenrolled paths sharing concepts come, most shared first
    found = [(r["path"]["title"], r["sharedConcepts"]) for r in me["pathRecommendations"]]
    assert found == [("Algorithms", 2), ("Data", 1)]


async def test_a_learner_with_nothing_completed_gets_free_standing_concepts_only(
    api: Api, engine: Engine, world: World
) -> None:
    # given a second learner who has done nothing
    ada = make_user(engine, "ada")
    learning_world(world, ada)
    make_user(engine, "bob")
    await api.sign_in("bob", PASSWORD)
    # when bob asks
    me = (await mirrored(world, lambda: api.data(RECOMMENDATIONS, {"first": 10})))["me"]
    # then only concepts without prerequisites come, and no path
    names = {r["concept"]["name"] for r in me["recommendations"]}
    assert names == {"arrays", "recursion", "sets"}
    assert me["pathRecommendations"] == []


async def test_another_learners_recommendations_are_empty_but_an_admin_sees_them(
    api: Api, engine: Engine, world: World
) -> None:
    ada = make_user(engine, "ada")
    learning_world(world, ada)
    make_user(engine, "bob")
    # when bob reads ada's recommendations
    await api.sign_in("bob", PASSWORD)
    hidden = (await mirrored(world, lambda: api.data(OTHERS, {"id": str(ada)})))["user"]
    # then he sees none
    assert hidden is None or hidden == {"recommendations": [], "pathRecommendations": []}
    # and an admin sees them
    await api.sign_in("admin", "admin-password")
    seen = (await mirrored(world, lambda: api.data(OTHERS, {"id": str(ada)})))["user"]
    assert [r["concept"]["name"] for r in seen["recommendations"]][:2] == ["trees", "sorting"]
    assert [r["sharedConcepts"] for r in seen["pathRecommendations"]] == [2, 1]


async def test_without_the_graph_only_the_recommendation_fields_fail(
    graphless_api: Api, engine: Engine
) -> None:
    # given a learner and an API that cannot reach Neo4j
    make_user(engine, "ada")
    await graphless_api.sign_in("ada", PASSWORD)
    # when she reads the contract's dashboard
    body = await graphless_api.send(DASHBOARD)
    # then the two graph fields are null with a clear error each, and the rest is intact
    me = body["data"]["me"]
    assert me["recommendations"] is None
    assert me["pathRecommendations"] is None
    assert me["username"] == "ada"
    assert me["dashboard"]["completedCount"] == 0
    assert me["skillMastery"] == []
    failed = {tuple(error["path"]): error for error in body["errors"]}
    assert set(failed) == {("me", "recommendations"), ("me", "pathRecommendations")}
    for error in failed.values():
        assert error["extensions"]["code"] == "GRAPH_UNAVAILABLE"
        assert "knowledge graph is unavailable" in error["message"]


async def test_the_preferred_difficulty_ranks_first_however_many_concepts_sort_before_it(
    api: Api, engine: Engine, world: World
) -> None:
    # given a new learner who prefers advanced concepts, and a catalogue of free-standing
    # concepts where more than five hundred beginner ones sort before the two advanced ones
    make_user(engine, "bob")
    bob = make_user(engine, "carl")
    world.add(LearningPreferences(user_id=bob, preferred_difficulty="advanced"))
    world.add(*(concept(f"a{number:03}") for number in range(505)))
    advanced = [concept(name) for name in ("z_graphs", "z_tries")]
    for hard in advanced:
        hard.difficulty = "advanced"
    world.add(*advanced)
    await api.sign_in("carl", PASSWORD)
    # when he asks for three recommendations
    me = (await mirrored(world, lambda: api.data(RECOMMENDATIONS, {"first": 3})))["me"]
    # then the advanced ones come first with the bonus, then the best of the rest by name
    found = [(r["concept"]["name"], r["score"]) for r in me["recommendations"]]
    assert found == [("z_graphs", 0.75), ("z_tries", 0.75), ("a000", 0.25)]
