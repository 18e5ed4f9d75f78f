"""The demo world: loaded idempotently, consistent, mirrored through the outbox, usable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from cli.setup import seed_demo
from persistence.sql.models import Base
from tests.support.contract import operation

if TYPE_CHECKING:
    from config.settings import Settings
    from tests.support.api import Api

LOGIN = operation("Login")

# entity type -> the SQL key of each mirrored row, as the outbox names it
MIRRORED_KEYS = {
    "user": "SELECT id::text FROM users",
    "concept": "SELECT id::text FROM concepts",
    "concept_relation": "SELECT id::text FROM concept_relations",
    "learning_path": "SELECT id::text FROM learning_paths",
    "path_enrollment": "SELECT user_id::text || ':' || path_id::text FROM path_enrollments",
    "concept_progress": "SELECT user_id::text || ':' || concept_id::text FROM concept_progress",
    "course": "SELECT id::text FROM courses",
    "course_enrollment": "SELECT course_id::text || ':' || student_id::text FROM course_enrollments",
    "chapter": "SELECT id::text FROM chapters",
    "theory": "SELECT id::text FROM theories",
    "skill": "SELECT id::text FROM skills",
    "reading": "SELECT id::text FROM readings",
    "video": "SELECT id::text FROM videos",
    "skill_mastery": "SELECT user_id::text || ':' || skill_id::text FROM skill_mastery",
}

# tables whose rows the sync machinery itself changes (event status, synced versions)
SYNC_TABLES = {"outbox_events", "sync_state"}


def seed(settings: Settings) -> list[str]:
    said: list[str] = []
    seed_demo(settings, echo=said.append)
    return said


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(
                text(f'SELECT count(*) FROM "{table.name}"')  # noqa: S608 - our own table names
            ).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def table_contents(engine: Engine) -> dict[str, str]:
    """A fingerprint of every row of every table but the sync bookkeeping."""
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in SYNC_TABLES]
    with engine.connect() as connection:
        return {
            name: connection.execute(
                text(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{name}\" t"  # noqa: S608 - our own table names
                )
            ).scalar_one()
            for name in names
        }


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def test_seeding_twice_adds_nothing_and_changes_nothing_the_second_time(
    engine: Engine, settings: Settings
) -> None:
    # given the demo world seeded once
    first = seed(settings)
    counts, contents = table_counts(engine), table_contents(engine)
    # when it is seeded again
    second = seed(settings)
    # then every table holds the same rows as before
    assert table_counts(engine) == counts
    assert table_contents(engine) == contents
    assert counts["concepts"] >= 20
    assert counts["users"] == 4
    assert "0 new rows, 0 outbox events" in second[-1], second
    assert "0 new rows" not in first[-1], first


def test_the_four_paths_hold_fifteen_concepts_with_machine_learning_in_two(
    engine: Engine, settings: Settings
) -> None:
    # given the demo world
    seed(settings)
    # then the paths are the four named ones, with fifteen concept links in all
    with engine.connect() as connection:
        titles = connection.execute(
            text("SELECT title FROM learning_paths ORDER BY title")
        ).scalars()
        assert list(titles) == [
            "Data Science Track",
            "Mastering Computer Science",
            "Programming Essentials",
            "Web Development Bootcamp",
        ]
    assert scalar(engine, "SELECT count(*) FROM learning_path_items") == 15
    # and machine learning is in exactly two of them, data structures in all four
    containing = """
        SELECT array_agg(p.title ORDER BY p.title) FROM learning_path_items i
        JOIN learning_paths p ON p.id = i.path_id JOIN concepts c ON c.id = i.concept_id
        WHERE c.name = :name
    """
    assert scalar(engine, containing, name="machine_learning") == [
        "Data Science Track",
        "Mastering Computer Science",
    ]
    assert len(scalar(engine, containing, name="data_structures")) == 4  # type: ignore[arg-type]


def test_each_path_orders_its_concepts_after_their_prerequisites(
    engine: Engine, settings: Settings
) -> None:
    # given the demo world
    seed(settings)
    # then no path item comes before a prerequisite that is in the same path
    misordered = """
        SELECT count(*) FROM concept_relations r
        JOIN learning_path_items before ON before.concept_id = r.source_id
        JOIN learning_path_items after ON after.concept_id = r.target_id
             AND after.path_id = before.path_id
        WHERE r.kind = 'prerequisite' AND after.order_index < before.order_index
    """
    assert scalar(engine, misordered) == 0
    assert scalar(engine, "SELECT min(order_index) FROM learning_path_items") == 0


def test_the_prerequisites_form_no_cycle(engine: Engine, settings: Settings) -> None:
    # given the demo world
    seed(settings)
    # when every prerequisite chain is followed
    cycles = """
        WITH RECURSIVE chain(start_id, current_id, route, cyclic) AS (
            SELECT source_id, target_id, ARRAY[source_id, target_id], source_id = target_id
            FROM concept_relations WHERE kind = 'prerequisite'
          UNION ALL
            SELECT c.start_id, r.target_id, c.route || r.target_id, r.target_id = ANY(c.route)
            FROM chain c JOIN concept_relations r
              ON r.source_id = c.current_id AND r.kind = 'prerequisite'
            WHERE NOT c.cyclic
        )
        SELECT count(*) FROM chain WHERE cyclic
    """
    # then none comes back to a concept it already passed
    assert scalar(engine, "SELECT count(*) FROM concept_relations WHERE kind = 'prerequisite'") > 20  # type: ignore[operator]
    assert scalar(engine, cycles) == 0


def test_every_mirrored_row_has_an_open_outbox_event(engine: Engine, settings: Settings) -> None:
    # given the demo world
    seed(settings)
    # then every row the graph mirrors has a pending or published event naming it
    with engine.connect() as connection:
        for entity_type, keys in MIRRORED_KEYS.items():
            missing = connection.execute(
                text(
                    f"{keys} EXCEPT SELECT entity_id FROM outbox_events "  # noqa: S608 - constant SQL
                    "WHERE entity_type = :type AND status IN ('pending', 'published')"
                ),
                {"type": entity_type},
            ).all()
            assert missing == [], entity_type
            counted = f"SELECT count(*) FROM ({keys}) k"  # noqa: S608 - constant SQL
            present = connection.execute(text(counted)).scalar_one()
            assert present > 0, entity_type


def test_alice_has_a_three_day_streak_and_consistent_path_progress(
    engine: Engine, settings: Settings
) -> None:
    # given the demo world
    seed(settings)
    # then alice studied today and on the two days before
    days = """
        SELECT count(DISTINCT (s.started_at AT TIME ZONE 'UTC')::date) FROM learning_sessions s
        JOIN users u ON u.id = s.user_id
        WHERE u.username = 'alice'
          AND (s.started_at AT TIME ZONE 'UTC')::date >= (now() AT TIME ZONE 'UTC')::date - 2
    """
    assert scalar(engine, days) == 3
    # and her path progress is the share of required path concepts she has done
    progress = """
        SELECT e.progress_percent FROM path_enrollments e
        JOIN users u ON u.id = e.user_id JOIN learning_paths p ON p.id = e.path_id
        WHERE u.username = 'alice' AND p.title = :title
    """
    assert scalar(engine, progress, title="Programming Essentials") == 66.7
    assert scalar(engine, progress, title="Data Science Track") == 50.0
    # and she earned four achievements and three badges
    awards = """
        SELECT array_agg(a.code ORDER BY a.code) FROM achievement_awards w
        JOIN achievements a ON a.id = w.achievement_id JOIN users u ON u.id = w.user_id
        WHERE u.username = 'alice' AND a.kind = 'achievement'
    """
    badges = """
        SELECT array_agg(a.code ORDER BY a.code) FROM achievement_awards w
        JOIN achievements a ON a.id = w.achievement_id JOIN users u ON u.id = w.user_id
        WHERE u.username = 'alice' AND a.kind = 'badge'
    """
    assert scalar(engine, badges) == ["first_mastery", "perfect_quiz", "streak_3"]
    assert scalar(engine, awards) == [
        "first_concept_completed",
        "first_concept_mastered",
        "first_quiz_passed",
        "three_day_streak",
    ]


async def test_the_demo_learner_alice_can_sign_in(api: Api, settings: Settings) -> None:
    # given the demo world
    seed(settings)
    # when alice signs in with her demo password
    token = await api.sign_in("alice", "alice-password")
    # then she gets a token for a student account
    assert token
    data = await api.data(LOGIN, {"username": "alice", "password": "alice-password"})
    assert data["login"]["user"]["role"] == "STUDENT"


async def test_the_demo_lessons_agree_with_the_learners_figures(
    api: Api, settings: Settings
) -> None:
    # given the demo world
    seed(settings)
    await api.sign_in("alice", "alice-password")
    lessons = operation("ConceptLessons")
    # then every demo concept has lessons in order
    for name in ("programming_basics", "machine_learning", "distributed_systems"):
        found = (await api.data(lessons, {"name": name}))["concept"]["lessons"]
        assert [lesson["orderIndex"] for lesson in found] == list(range(len(found)))
        assert len(found) >= 2
    # and alice completed every lesson of her completed concepts, and 2 of 4 where she is at 65%
    done = (await api.data(lessons, {"name": "data_structures"}))["concept"]["lessons"]
    assert {lesson["myProgress"]["status"] for lesson in done} == {"COMPLETED"}
    python = (await api.data(lessons, {"name": "python_programming"}))["concept"]["lessons"]
    assert [lesson["myProgress"] is not None for lesson in python] == [True, True, False, False]
    # and her dashboard keeps its figures: time from her four sessions, a three-day streak
    figures = (await api.data(operation("Dashboard")))["me"]["dashboard"]
    assert (figures["timeSpentSeconds"], figures["streakDays"]) == ((35 + 50 + 40 + 30) * 60, 3)
    assert (figures["completedCount"], figures["masteredCount"]) == (4, 1)
