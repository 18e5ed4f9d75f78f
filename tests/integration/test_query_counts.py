"""`extensions.queryStats` and the absence of N+1: a request's statements do not grow with rows.

Each test reads the same contract operation over a small and a large data set and compares the
numbers of SQL statements and Cypher queries the API reports.
"""

from __future__ import annotations

import itertools
import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from persistence.sql.models import (
    Achievement,
    AchievementAward,
    PathEnrollment,
    Quiz,
    QuizAttempt,
    Skill,
    SkillMastery,
)
from tests.integration.test_recommendations import (
    DASHBOARD,
    items,
    mirrored,
    prerequisite,
    progress,
)
from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_user
from tests.support.mirroring import World, concept, path

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tests.support.api import Api


CONCEPTS = operation("Concepts")

CONCEPTS_WITH_PREREQUISITES = """
query ConceptsWithPrerequisites($first: Int) {
  concepts(first: $first) {
    totalCount
    edges { node { id name prerequisites(depth: 2) { id name } } }
  }
}
"""

LEARNING_PATHS = operation("LearningPaths")


async def stats_of(api: Api, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The data and the query stats of one request that must not fail."""
    body = await api.send(query, variables)
    assert "errors" not in body, body["errors"]
    return body["data"], body["extensions"]["queryStats"]


def add_concept_chain(world: World, prefix: str, size: int) -> list[Any]:
    """size concepts, each a prerequisite of the next."""
    chain = [concept(f"{prefix}_{index:03}") for index in range(size)]
    world.add(*chain)
    world.add(*(prerequisite(a, b) for a, b in itertools.pairwise(chain)))
    return chain


def add_learner_history(world: World, learner: uuid.UUID, prefix: str, size: int) -> None:
    """size progress rows, and attempts, awards, paths, enrollments, masteries growing with it.

    Recommended concepts and paths are never also in the learner's progress or enrollments,
    so that a loader's cache cannot save a statement for one size and not the other.
    """
    chain = add_concept_chain(world, prefix, size)
    unlocked = [concept(f"{prefix}_next_{index}") for index in range(3)]
    world.add(*unlocked)
    world.add(*(prerequisite(done, nxt) for done, nxt in zip(chain, unlocked, strict=False)))
    world.add(
        *(progress(learner, c, "completed" if i % 2 else "mastered") for i, c in enumerate(chain))
    )
    several = max(2, size // 5)
    quizzes = [
        Quiz(id=uuid.uuid4(), concept_id=c.id, title=f"{c.name} quiz", passing_score=50)
        for c in chain[:several]
    ]
    achievements = [
        Achievement(id=uuid.uuid4(), code=f"{prefix}_{i}", title=f"{prefix} {i}")
        for i in range(several)
    ]
    skills = [Skill(id=uuid.uuid4(), name=f"{prefix} skill {i}") for i in range(several)]
    paths = [path(f"{prefix} path {i}") for i in range(several)]
    world.add(*quizzes, *achievements, *skills, *paths)
    world.add(
        *(
            QuizAttempt(
                quiz_id=q.id, user_id=learner, answers={}, score=1, max_score=2, passed=False
            )
            for q in quizzes
        ),
        *(AchievementAward(user_id=learner, achievement_id=a.id) for a in achievements),
        *(
            SkillMastery(
                user_id=learner,
                skill_id=s.id,
                current_mastery=0.5,
                confidence=0.5,
                mastery_category="developing",
            )
            for s in skills
        ),
        *(item for i, p in enumerate(paths) for item in items(p, *chain[i : i + 3])),
        *(PathEnrollment(user_id=learner, path_id=p.id) for p in paths[::2]),
    )


async def test_the_dashboard_costs_the_same_for_5_and_for_50_progress_rows(
    counted_api: Api, engine: Engine, world: World
) -> None:
    # given a learner with 5 progress rows and one with 50, with attempts, awards, paths, skills
    costs = {}
    for username, size in (("few", 5), ("many", 50)):
        learner = make_user(engine, username)
        add_learner_history(world, learner, username, size)
    for username, size in (("few", 5), ("many", 50)):
        await counted_api.sign_in(username, PASSWORD)
        # when each reads the contract's Dashboard
        data, stats = await mirrored(world, lambda: stats_of(counted_api, DASHBOARD))
        me = data["me"]
        assert me["progress"]["totalCount"] == size
        assert len(me["skillMastery"]) == max(2, size // 5)
        assert me["pathRecommendations"]
        costs[username] = stats
    # then both cost two Cypher queries and the same few SQL statements (the new token's check,
    # `me` with all its views in one, what the recommendations read): tenfold the rows adds none
    assert costs["few"]["cypher"] == costs["many"]["cypher"] == 2, costs
    assert costs["few"]["sql"] == costs["many"]["sql"] <= 4, costs


async def test_a_concepts_page_costs_the_same_for_5_and_for_50_concepts(
    counted_api: Api, world: World
) -> None:
    costs = []
    for size in (5, 50):
        # given size concepts in a prerequisite chain, mirrored to the graph
        add_concept_chain(world, f"c{size}", size if size == 5 else size - 5)
        # when a page of all of them is read, plain and with prerequisites from the graph
        plain, plain_stats = await stats_of(counted_api, CONCEPTS, {"first": 50})
        walked, walked_stats = await mirrored(
            world, lambda: stats_of(counted_api, CONCEPTS_WITH_PREREQUISITES, {"first": 50})
        )
        assert len(plain["concepts"]["edges"]) == size
        prerequisites = [len(e["node"]["prerequisites"]) for e in walked["concepts"]["edges"]]
        assert sum(prerequisites) > 0
        costs.append((plain_stats, walked_stats))
    # then neither grows with the number of concepts
    assert costs[0] == costs[1], costs
    assert costs[1][0]["cypher"] == 0
    assert costs[1][1]["cypher"] == 1


async def test_a_learning_paths_page_with_concept_counts_costs_the_same_for_5_and_50_paths(
    counted_api: Api, world: World
) -> None:
    chain = add_concept_chain(world, "p", 3)
    costs = []
    for size, new in ((5, 5), (50, 45)):
        # given size paths of three concepts
        paths = [path(f"path {size} {i:02}") for i in range(new)]
        world.add(*paths)
        world.add(*(item for p in paths for item in items(p, *chain)))
        # when the contract's LearningPaths reads a page of all of them
        data, stats = await stats_of(counted_api, LEARNING_PATHS, {"first": 50})
        nodes = [edge["node"] for edge in data["learningPaths"]["edges"]]
        assert len(nodes) == size
        assert {node["conceptCount"] for node in nodes} == {3}
        costs.append(stats)
    # then the cost does not grow
    assert costs[0] == costs[1], costs


async def test_query_stats_stay_out_of_the_response_when_the_setting_is_off(api: Api) -> None:
    body = await api.send(LEARNING_PATHS, {"first": 5})
    assert "queryStats" not in (body.get("extensions") or {})


async def test_a_users_profile_and_preferences_cost_one_statement_together(
    counted_api: Api, engine: Engine
) -> None:
    # given a signed-in learner
    make_user(engine, "ada")
    await counted_api.sign_in("ada", PASSWORD)
    # when the account is read with its profile, then with its profile and preferences
    _, profile_only = await stats_of(counted_api, "{ me { id profile { firstName } } }")
    _, both = await stats_of(
        counted_api, "{ me { id profile { firstName } preferences { darkMode } } }"
    )
    # then the preferences come with the profile, in the same statement
    assert both["sql"] == profile_only["sql"], (profile_only, both)


LEARNING_PATH = operation("LearningPath")


async def test_a_path_costs_one_statement_and_one_graph_query_for_3_and_30_concepts(
    counted_api: Api, world: World, engine: Engine
) -> None:
    make_user(engine, "ada")
    await counted_api.sign_in("ada", PASSWORD)
    costs = []
    for size in (3, 30):
        # given a path of size concepts, which the graph holds
        chain = add_concept_chain(world, f"lp{size}", size)
        track = path(f"track of {size}")
        world.add(track)
        world.add(*items(track, *chain))
        read = partial(stats_of, counted_api, LEARNING_PATH, {"id": str(track.id)})
        # when the contract's LearningPath reads it, signed in
        data, stats = await mirrored(world, read)
        # then every concept comes in order
        names = [item["concept"]["name"] for item in data["learningPath"]["concepts"]]
        assert names == [c.name for c in chain]
        costs.append(stats)
    # then one statement reads the path, the caller's enrollment, its items with their
    # concepts and the caller's progress, and one query the graph's order: whatever the size
    assert costs[0] == costs[1] == {**costs[0], "sql": 1, "cypher": 1}, costs
