"""Empty the benchmark stores, load the synthetic world into SQL, then mirror it to the graph.

The graph is written with the product's own mirrors (snapshot from SQL, UNWIND write) in large
chunks, without the outbox: setup speed, not a measurement.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import redis
from alembic.util import CommandError
from sqlalchemy import Engine, text

from benchmarks.data import World, load_sql
from domain.events import EntityType
from persistence.graph.constraints import ensure_schema
from persistence.sql.migrate import upgrade_to_head
from persistence.sql.models import Base
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings

__all__ = ["entity_ids", "mirror_all", "prepare"]

CHUNK = 5_000
Log = Callable[[str], None]


def _migrate(database_url: str, engine: Engine, *, rebuild_unknown: bool, log: Log) -> None:
    """Bring the benchmark database to this tree's newest migration.

    A database last migrated by another checkout can carry a revision this tree does not know
    (alembic cannot go down from it); the benchmark's own database holds only the synthetic
    world, so it is rebuilt from an empty schema. Stores shared with tests are never dropped.
    """
    try:
        upgrade_to_head(database_url)
    except CommandError as error:
        if not rebuild_unknown or "Can't locate revision" not in str(error):
            raise
        log(f"setup: {error}; rebuilding the benchmark database's schema")
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade_to_head(database_url)


def reset_sql(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def reset_graph(driver: Driver, database: str, *, only: dict[str, Sequence[str]] | None) -> None:
    """Everything, or (on a shared graph) only the nodes of these labels with these ids."""
    if only is None:
        query = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        with driver.session(database=database) as session:
            session.run(query).consume()
        return
    for label, ids in only.items():
        # label is one of the three fixed labels of prepare(), never from input
        for start in range(0, len(ids), CHUNK):
            driver.execute_query(
                f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n",
                ids=list(ids[start : start + CHUNK]),
                database_=database,
            )


def entity_ids(world: World) -> dict[EntityType, list[str]]:
    """The mirrored entities of the world, as the sync names them."""
    return {
        EntityType.USER: [str(row[0]) for row in world.users],
        EntityType.CONCEPT: [str(row[0]) for row in world.concepts],
        EntityType.CONCEPT_RELATION: [str(row[0]) for row in world.relations],
        EntityType.LEARNING_PATH: [str(row[0]) for row in world.paths],
        EntityType.PATH_ENROLLMENT: [f"{row[0]}:{row[1]}" for row in world.enrollments],
        EntityType.CONCEPT_PROGRESS: [f"{row[0]}:{row[1]}" for row in world.progress],
    }


def mirror_all(
    sessions: sessionmaker[Session], driver: Driver, database: str, ids: dict[EntityType, list[str]]
) -> None:
    """Write the current SQL state of these entities to the graph with the product's mirrors."""
    registry = default_registry()
    for mirror in registry.ordered(set(ids)):
        wanted = ids[mirror.entity_type]
        for start in range(0, len(wanted), CHUNK):
            with sessions() as session:
                snapshot = mirror.snapshot(session, wanted[start : start + CHUNK])
            with driver.session(database=database) as graph:
                graph.execute_write(mirror.write, snapshot.rows)


def prepare(
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    driver: Driver,
    world: World,
    *,
    shared_graph: bool,
    log: Log,
) -> None:
    started = time.perf_counter()
    _migrate(settings.database_url, engine, rebuild_unknown=not shared_graph, log=log)
    ensure_schema(driver, database=settings.neo4j_database)
    reset_sql(engine)
    ids = entity_ids(world)
    nodes: dict[str, Sequence[str]] = {
        "User": ids[EntityType.USER],
        "Concept": ids[EntityType.CONCEPT],
        "LearningPath": ids[EntityType.LEARNING_PATH],
    }
    reset_graph(driver, settings.neo4j_database, only=nodes if shared_graph else None)
    client = redis.Redis.from_url(settings.redis_url)
    try:
        client.flushdb()
    finally:
        client.close()
    load_sql(settings.database_url, world)
    log(f"setup: SQL loaded in {time.perf_counter() - started:.1f}s")
    mirror_all(sessions, driver, settings.neo4j_database, ids)
    log(f"setup: graph mirrored in {time.perf_counter() - started:.1f}s")
