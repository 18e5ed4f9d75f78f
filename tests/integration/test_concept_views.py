"""A concept by name is read with its quizzes, questions and the caller's progress in one
statement, answers as the loaders do, and costs the same however many of them it has."""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from persistence.sql.models import ConceptProgress, Question, Quiz
from resolvers.loaders import json_reads
from tests.integration.test_recommendations import mirrored, prerequisite
from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_user
from tests.support.mirroring import World, concept

if TYPE_CHECKING:
    import pytest
    from sqlalchemy import Engine

    from tests.support.api import Api


CONCEPT_PAGE = operation("ConceptPage")

VIEWS = """
fragment Views on Concept {
  id name difficulty keyTerms version
  quizzes { id title passingScore questions { id prompt kind options points correctAnswers } }
  myProgress { status progressPercent masteryScore }
}
"""

BY_NAME = VIEWS + 'query { concept(name: "target") { ...Views } }'
IN_A_PAGE = VIEWS + "query { concepts(first: 50) { edges { node { ...Views } } } }"


SUITE_PAGE = """
query {
  concept(name: "target") {
    id name displayName description difficulty keyTerms version
    prerequisites(depth: 3) { id name displayName }
    quizzes { id title passingScore questions { id prompt kind options points } }
    myProgress { status progressPercent masteryScore }
  }
}
"""


def quizzes_on(world: World, target: Any, author: uuid.UUID, count: int) -> None:
    """count quizzes on the target, each with three questions written out of order."""
    for index in range(count):
        quiz = Quiz(
            id=uuid.uuid4(),
            concept_id=target.id,
            title=f"quiz {count - index}",
            passing_score=50 + index,
            created_by=author,
        )
        world.add(quiz)
        world.add(
            *(
                Question(
                    quiz_id=quiz.id,
                    order_index=order,
                    prompt=f"question {order} of {quiz.title}",
                    kind="single_choice",
                    options=["a", "b"],
                    correct_answers=["a"],
                    points=order + 1,
                )
                for order in (2, 0, 1)
            )
        )


def concept_with_views(
    world: World, engine: Engine, *, prerequisites: int, quizzes: int, name: str = "target"
) -> uuid.UUID:
    """The concept `name` with that many direct prerequisites and quizzes, by author<quizzes>,
    and a learner<quizzes> (returned) with progress on it."""
    author = make_user(engine, f"author{quizzes}", role="teacher")
    learner = make_user(engine, f"learner{quizzes}")
    target = concept(name)
    before = [concept(f"{name}_before_{index:03}") for index in range(prerequisites)]
    world.add(target, *before)
    world.add(*(prerequisite(one, target) for one in before))
    quizzes_on(world, target, author, quizzes)
    world.add(
        ConceptProgress(
            user_id=learner, concept_id=target.id, status="in_progress", progress_percent=40
        )
    )
    return learner


async def stats_of(api: Api, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = await api.send(query, variables)
    assert "errors" not in body, body["errors"]
    return body["data"], body["extensions"]["queryStats"]


async def test_a_concept_by_name_answers_its_quizzes_and_progress_as_a_page_of_concepts_does(
    api: Api, engine: Engine, world: World
) -> None:
    # given a concept with two quizzes of three questions and a learner's progress on it
    learner = concept_with_views(world, engine, prerequisites=0, quizzes=2)
    for signed_in in (False, True):
        api.token = None
        if signed_in:
            await api.sign_in(f"learner{2}", PASSWORD)
        # when it is read by name (one statement) and in a page of concepts (loaders)
        by_name = (await api.data(BY_NAME))["concept"]
        [in_page] = [e["node"] for e in (await api.data(IN_A_PAGE))["concepts"]["edges"]]
        # then both answer the same: quizzes by creation, questions in order, no answers shown
        assert by_name == in_page
        assert [q["title"] for q in by_name["quizzes"]] == ["quiz 2", "quiz 1"]
        prompts = [q["prompt"] for q in by_name["quizzes"][0]["questions"]]
        assert prompts == [f"question {order} of quiz 2" for order in range(3)]
        assert {q["correctAnswers"] for quiz in by_name["quizzes"] for q in quiz["questions"]} == {
            None
        }
        progress = by_name["myProgress"]
        assert progress == (
            {"status": "IN_PROGRESS", "progressPercent": 40.0, "masteryScore": 0.0}
            if signed_in
            else None
        ), (learner, progress)


async def test_the_quizs_author_sees_the_accepted_answers_read_with_the_concept(
    api: Api, engine: Engine, world: World
) -> None:
    concept_with_views(world, engine, prerequisites=0, quizzes=1)
    await api.sign_in("author1", PASSWORD)
    quiz = (await api.data(BY_NAME))["concept"]["quizzes"][0]
    assert [q["correctAnswers"] for q in quiz["questions"]] == [["a"], ["a"], ["a"]]


async def test_concepts_asked_under_aliases_answer_each_its_own_and_an_unknown_one_is_null(
    api: Api, engine: Engine, world: World
) -> None:
    concept_with_views(world, engine, prerequisites=2, quizzes=1)
    data = await api.data(
        """{
          a: concept(name: "target") { name quizzes { title } }
          b: concept(name: "target_before_001") { name quizzes { title questions { id } } }
          c: concept(name: "no_such_concept") { name }
          d: concept(name: "target") { displayName }
        }"""
    )
    assert data["a"] == {"name": "target", "quizzes": [{"title": "quiz 1"}]}
    assert data["b"] == {"name": "target_before_001", "quizzes": []}
    assert data["c"] is None
    assert data["d"] == {"displayName": "Target"}


async def test_the_concept_page_costs_the_same_for_5_and_for_50_prerequisites_and_quizzes(
    counted_api: Api, engine: Engine, world: World
) -> None:
    costs = []
    for size in (5, 50):
        # given the concept with size prerequisites and size quizzes, read by its learner
        name = f"target{size}"
        learner = concept_with_views(world, engine, prerequisites=size, quizzes=size, name=name)
        await counted_api.sign_in(f"learner{size}", PASSWORD)
        await stats_of(counted_api, "{ me { id } }")  # the new token's check, once
        # when the contract's ConceptPage reads it
        data, stats = await mirrored(
            world, partial(stats_of, counted_api, CONCEPT_PAGE, {"name": name})
        )
        page = data["concept"]
        assert len(page["prerequisites"]) == len(page["quizzes"]) == size
        assert page["myProgress"]["status"] == "IN_PROGRESS", learner
        costs.append(stats)
    # then tenfold the rows adds no statement: the concept with its quizzes, questions and
    # progress is one, the concepts the walks name one, the paths one (the seven walks are
    # seven Cypher queries in one transaction)
    assert costs[0] == costs[1], costs
    assert costs[1] == {"sql": 3, "cypher": 7}, costs


async def test_a_concept_with_its_prerequisites_quizzes_and_progress_costs_two_statements(
    counted_api: Api, engine: Engine, world: World
) -> None:
    # given the concept with 20 prerequisites and 3 quizzes, read by its learner
    concept_with_views(world, engine, prerequisites=20, quizzes=3)
    await counted_api.sign_in("learner3", PASSWORD)
    await stats_of(counted_api, "{ me { id } }")  # the new token's check, once
    # when the read suite's concept page (the fields every compared server has) reads it
    data, stats = await mirrored(world, partial(stats_of, counted_api, SUITE_PAGE))
    # then the concept with its views is one statement, the walk one query, its concepts one
    assert len(data["concept"]["prerequisites"]) == 20
    assert stats == {"sql": 2, "cypher": 1}


def distinct_walks(count: int) -> str:
    """A concept page with `count` aliased prerequisite walks, each selecting differently
    (the name, and its own subset of other fields)."""
    others = ["id", "displayName", "difficulty", "version", "description"]
    walks = []
    for index in range(count):
        chosen = [field for bit, field in enumerate(others) if (index + 1) >> bit & 1]
        walks.append(f"w{index}: prerequisites {{ name {' '.join(chosen)} }}")
    return f'{{ concept(name: "target") {{ name {" ".join(walks)} }} }}'


async def test_walks_selecting_their_concepts_differently_share_statements_and_answer_alike(
    counted_api: Api, engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the concept with three prerequisites, and statements holding at most four picks
    concept_with_views(world, engine, prerequisites=3, quizzes=0)
    monkeypatch.setattr(json_reads, "READS_PER_STATEMENT", 4)
    # when 14 walks each select its concepts differently
    data, stats = await mirrored(world, partial(stats_of, counted_api, distinct_walks(14)))
    # then every walk names the same three concepts under its own selection
    page = data["concept"]
    for index in range(14):
        names = [one["name"] for one in page[f"w{index}"]]
        assert sorted(names) == [f"target_before_{i:03}" for i in range(3)]
        assert ("displayName" in page[f"w{index}"][0]) == bool((index + 1) & 2)
    # and their concepts took one statement per four picks, beside the concept's own
    assert stats == {"sql": 1 + 4, "cypher": 1}, stats
