"""`me` reads the account and the views selected under it in one statement whose JSON
PostgreSQL builds; the answer is the one the per-field loaders give for any other user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.test_query_counts import add_learner_history, stats_of
from tests.support.learners import PASSWORD, make_user
from tests.support.mirroring import World

if TYPE_CHECKING:
    from neo4j import Driver
    from sqlalchemy import Engine

    from config.settings import Settings
    from tests.support.api import Api

VIEWS = """
  id username role createdAt email isActive emailVerified lastLoginAt
  profile { firstName lastName bio avatarUrl timezone language }
  preferences { dailyGoalMinutes preferredDifficulty contentTypes darkMode notificationsEnabled }
  dashboard { conceptsAvailable averageCompletion timeSpentSeconds streakDays completedCount masteredCount }
  progress(first: 4, after: $after) {
    totalCount
    edges { cursor node {
      concept { id name displayName difficulty keyTerms complexityScore version }
      status progressPercent masteryScore timeSpentSeconds completedAt updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
  quizAttempts(first: 3) {
    totalCount
    edges { node { id quiz { id title passingScore } score maxScore passed submittedAt } }
  }
  achievements { achievement { code title description } awardedAt }
  enrolledPaths { path { id title difficulty estimatedHours } status progressPercent enrolledAt }
  skillMastery { skill { id name description } currentMastery confidence trend masteryCategory numAssessments updatedAt }
"""
ME = f"query Me($after: String) {{ me {{ {VIEWS} }} }}"
USER = f"query User($id: ID!, $after: String) {{ user(id: $id) {{ {VIEWS} }} }}"
AFTER = "bzoy"  # the cursor after the third item


@pytest.fixture
def learner(engine: Engine, graph: Driver, settings: Settings) -> Any:
    ada = make_user(engine, "ada")
    add_learner_history(World(engine, graph, settings), ada, "ada", 12)
    return ada


async def test_me_answers_in_one_statement_what_the_loaders_answer_for_an_admin(
    counted_api: Api, learner: Any
) -> None:
    # given a learner with progress, attempts, awards, enrollments and skills
    await counted_api.sign_in("ada", PASSWORD)
    await counted_api.data("{ me { id } }")  # the token check is cached from here on
    # when she reads her own views, and an admin reads them through `user`
    mine, stats = await stats_of(counted_api, ME, {"after": AFTER})
    await counted_api.sign_in("admin", "admin-password")
    seen, _ = await stats_of(counted_api, USER, {"id": str(learner), "after": AFTER})
    # then both answers are the same, and hers took one statement
    assert mine["me"] == seen["user"]
    assert mine["me"]["progress"]["totalCount"] == 12
    assert len(mine["me"]["progress"]["edges"]) == 4
    assert mine["me"]["skillMastery"]
    assert stats == {"sql": 1, "cypher": 0}


async def test_aliased_pages_under_me_each_answer_their_own_arguments(
    api: Api, learner: Any
) -> None:
    await api.sign_in("ada", PASSWORD)
    # when one request asks for two different pages of progress
    query = """
    { me { first: progress(first: 2) { edges { node { concept { name } } } pageInfo { endCursor } }
           next: progress(first: 2, after: "bzox") { edges { node { concept { name } } } } } }
    """
    both = (await api.data(query))["me"]
    alone = await api.data("{ me { progress(first: 4) { edges { node { concept { name } } } } } }")
    names = [e["node"]["concept"]["name"] for e in alone["me"]["progress"]["edges"]]
    # then each alias answers its own page
    assert [e["node"]["concept"]["name"] for e in both["first"]["edges"]] == names[:2]
    assert [e["node"]["concept"]["name"] for e in both["next"]["edges"]] == names[2:]


async def test_a_bad_page_argument_under_me_fails_that_field_alone(api: Api, learner: Any) -> None:
    await api.sign_in("ada", PASSWORD)
    # when the progress list is asked with a negative size
    body = await api.send("{ me { username progress(first: -1) { totalCount } } }")
    # then that field fails, naming the argument, and the rest of `me` answers
    assert body["data"]["me"] == {"username": "ada", "progress": None}
    assert body["errors"][0]["path"] == ["me", "progress"]
    assert body["errors"][0]["extensions"]["field"] == "first"
