"""Badges: the catalogue with its rules, awarded once when progress, quizzes or sessions meet
a rule, shown next to achievements; alice's demo badges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from cli.setup import seed_demo
from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user

if TYPE_CHECKING:
    from config.settings import Settings
    from tests.support.api import Api

BADGES = operation("Badges")
MINE = operation("MyBadges")
RECORD = operation("RecordProgress")
START = operation("StartLearningSession")


async def master(api: Api, concept_id: object) -> list[str]:
    given = {"conceptId": str(concept_id), "status": "MASTERED", "progressPercent": 100}
    await api.data(RECORD, {"input": given})
    return [x["badge"]["code"] for x in (await api.data(MINE))["me"]["badges"]]


async def test_the_catalogue_lists_each_badge_with_its_rule_in_words(api: Api) -> None:
    badges = {b["code"]: b for b in (await api.data(BADGES))["badges"]}
    assert badges["streak_7"]["criteria"] == "Study on 7 days in a row"
    assert badges["first_mastery"]["criteria"] == "Master a concept"
    assert badges["ten_mastered"]["criteria"] == "Master 10 concepts"
    assert badges["perfect_quiz"]["iconUrl"].endswith("perfect_quiz.svg")
    assert all(b["title"] and b["description"] for b in badges.values())


async def test_mastering_a_concept_awards_first_mastery_once(api: Api, engine: Engine) -> None:
    # given a student and two concepts
    make_user(engine, "ada")
    first, second = make_concept(engine, "sets"), make_concept(engine, "maps")
    await api.sign_in("ada", PASSWORD)
    assert (await api.data(MINE))["me"]["badges"] == []
    # when she masters one, then another
    assert await master(api, first) == ["first_mastery"]
    assert await master(api, second) == ["first_mastery"]
    # then the badge was awarded once, apart from her achievements
    assert (
        count(
            engine,
            "achievement_awards a JOIN achievements d ON d.id = a.achievement_id",
            "d.code = 'first_mastery'",
        )
        == 1
    )
    me = (await api.data(MINE))["me"]
    assert "first_mastery" not in [x["achievement"]["code"] for x in me["achievements"]]
    assert me["achievements"] != []


async def test_a_streak_of_sessions_awards_warming_up(api: Api, engine: Engine) -> None:
    # given a student who studied on the two days before today
    student = make_user(engine, "ada")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO learning_sessions"
                " (id, user_id, started_at, ended_at, last_activity_at, duration_seconds, source)"
                " SELECT gen_random_uuid(), :u, d, d, d, 0, 'test' FROM generate_series(1, 2) AS n,"
                " LATERAL (SELECT now() - make_interval(days => n) AS d) AS s"
            ),
            {"u": student},
        )
    await api.sign_in("ada", PASSWORD)
    # when she starts a session today
    await api.data(START, {"conceptId": None})
    # then she has the three-day badge
    codes = [x["badge"]["code"] for x in (await api.data(MINE))["me"]["badges"]]
    assert codes == ["streak_3"]


async def test_others_see_no_badges_and_anonymous_callers_no_me(api: Api, engine: Engine) -> None:
    assert (await api.data(MINE))["me"] is None
    make_user(engine, "ada")
    await api.sign_in("ada", PASSWORD)
    assert (await api.data(MINE))["me"]["badges"] == []


async def test_alice_shows_her_demo_badges_next_to_her_achievements(
    api: Api, settings: Settings
) -> None:
    seed_demo(settings, echo=lambda _: None)
    await api.sign_in("alice", "alice-password")
    me = (await api.data(MINE))["me"]
    assert sorted(x["badge"]["code"] for x in me["badges"]) == [
        "first_mastery",
        "perfect_quiz",
        "streak_3",
    ]
    assert len(me["achievements"]) == 4


async def test_the_demo_learners_hold_every_award_their_figures_earn(
    api: Api, settings: Settings
) -> None:
    # given the demo world
    seed_demo(settings, echo=lambda _: None)
    for name in ("alice", "bob"):
        await api.sign_in(name, f"{name}-password")
        before = (await api.data(MINE))["me"]
        # when the learner starts a session today, which checks every rule again
        started = await api.data(operation("StartLearningSession"), {"conceptId": None})
        assert started["startLearningSession"]["errors"] == []
        # then the rules find nothing left to award
        assert (await api.data(MINE))["me"] == before, name
