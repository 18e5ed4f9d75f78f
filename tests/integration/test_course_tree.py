"""A course's tree comes from the graph once it holds each part, from SQL until then."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from domain.events import EntityType
from schema.app import create_app
from tests.integration.test_courses import COURSE, IMPORT, STRUCTURE, new_course, signed_in_teacher
from tests.support.api import Api
from tests.support.asgi import in_process_client
from tests.support.learners import make_concept
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.mirroring import World


def _all_applied(engine: Engine) -> bool:
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM outbox_events WHERE status <> 'completed'")
        return bool(connection.execute(query).scalar_one() == 0)


Shape = list[tuple[str, list[tuple[str, list[str], list[str]]]]]


def _shape(course: dict[str, object]) -> Shape:
    chapters = course["chapters"]
    assert isinstance(chapters, list)
    return [
        (
            chapter["name"],
            [
                (
                    theory["name"],
                    [skill["name"] for skill in theory["skills"]],
                    [reading["title"] for reading in theory["readings"]],
                )
                for theory in chapter["theories"]
            ],
        )
        for chapter in chapters
    ]


async def _imported_course(api: Api, engine: Engine, *, recorded: bool) -> tuple[str, Shape]:
    """A teacher's course with STRUCTURE imported: its id and its tree as the API reads it."""
    make_concept(engine, "arrays", recorded=recorded)
    make_concept(engine, "hash_tables", recorded=recorded)
    await signed_in_teacher(api, engine, recorded=recorded)
    course_id = await new_course(api)
    await api.data(IMPORT, {"courseId": course_id, "chapters": STRUCTURE})
    return course_id, _shape((await api.data(COURSE, {"id": course_id}))["course"])


async def test_the_tree_is_read_from_the_graph_once_synced_and_from_sql_before(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a course whose structure was just imported: the mutation's own answer is whole
    course_id, before_sync = await _imported_course(api, engine, recorded=True)
    assert before_sync[0][1][0] == ("Lists", ["indexing", "slicing"], ["On lists"])
    # when the graph has applied it, and then loses a reading link behind the product's back
    assert eventually(lambda: _all_applied(engine), timeout=30)
    assert _shape((await api.data(COURSE, {"id": course_id}))["course"]) == before_sync
    graph.execute_query(
        "MATCH (:Theory {name: 'Lists'})-[r:HAS_READING]->() DELETE r",
        database_=settings.neo4j_database,
    )
    # then the tree is the graph's: the reading is gone from it (reconciliation would repair)
    after = _shape((await api.data(COURSE, {"id": course_id}))["course"])
    assert after[0][1][0] == ("Lists", ["indexing", "slicing"], [])
    assert after[1] == before_sync[1]


async def test_without_the_graph_the_tree_comes_whole_from_sql_and_says_so(
    api: Api, graphless_api: Api, engine: Engine
) -> None:
    # given an imported course structure
    course_id, expected = await _imported_course(api, engine, recorded=False)
    # when it is read through an API that cannot reach Neo4j
    body = await graphless_api.send(COURSE, {"id": course_id})
    # then the whole tree is there, answered by SQL, and the response says which fields were
    assert "errors" not in body, body["errors"]
    assert _shape(body["data"]["course"]) == expected
    degraded = body["extensions"]["degraded"]
    assert degraded["graph"] == "unavailable"
    assert "course.chapters" in degraded["fields"]


async def test_a_chapter_the_graph_holds_before_its_theories_lists_them_from_sql(
    api: Api, engine: Engine, world: World
) -> None:
    # given an imported course structure that the graph has not been given yet (no worker)
    course_id, expected = await _imported_course(api, engine, recorded=True)
    assert expected[0][1][0] == ("Lists", ["indexing", "slicing"], ["On lists"])
    # when the graph holds the course and its chapters, but not yet their theories (each
    # theory's own event links it to its chapter)
    with engine.connect() as connection:
        query = text("SELECT id FROM chapters WHERE course_id = :course")
        chapters = [str(row.id) for row in connection.execute(query, {"course": course_id})]
    world.apply(
        (EntityType.COURSE, course_id), *[(EntityType.CHAPTER, chapter) for chapter in chapters]
    )
    assert world.query("MATCH (c:Chapter)-[:HAS_THEORY]->() RETURN c.id AS id") == []
    # then every chapter still lists its theories, read from SQL until the graph holds them
    assert _shape((await api.data(COURSE, {"id": course_id}))["course"]) == expected


async def _sql_statements(settings: Settings, token: str, course_id: str) -> tuple[int, bool]:
    """The SQL statements a second read of the course's tree costs (the first fills the
    principal cache) through an API with the given settings, and whether the graph answered."""
    app = create_app(settings.model_copy(update={"query_stats": True}))
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        reader = Api(client)
        reader.token = token
        await reader.data(COURSE, {"id": course_id})
        body = await reader.send(COURSE, {"id": course_id})
    assert "errors" not in body, body["errors"]
    return body["extensions"]["queryStats"]["sql"], "degraded" not in body["extensions"]


async def test_a_tree_the_graph_answers_costs_one_sql_statement_per_level_as_sql_alone_does(
    api: Api, engine: Engine, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given an imported course structure the graph has applied
    course_id, _ = await _imported_course(api, engine, recorded=True)
    assert eventually(lambda: _all_applied(engine), timeout=30)
    assert api.token is not None
    # when its tree is read through the graph, and through an API that cannot reach Neo4j
    from_graph = await _sql_statements(settings, api.token, course_id)
    graphless = settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:9"})
    from_sql = await _sql_statements(graphless, api.token, course_id)
    # then the graph answered, and each level read its rows and what the graph was given of
    # them in one statement: as many statements as reading the rows alone
    assert (from_graph[1], from_sql[1]) == (True, False)
    assert from_graph[0] == from_sql[0]
