"""Resetting the real test stores between tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import redis
from sqlalchemy import Engine, text

from persistence.sql.models import Base

if TYPE_CHECKING:
    from neo4j import Driver

__all__ = ["reset_graph", "reset_redis", "reset_sql"]


def reset_sql(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def reset_graph(driver: Driver, database: str) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)


def reset_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
