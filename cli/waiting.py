"""A bounded wait for every store at start-up, reported as one clear line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
import redis

from persistence.graph.driver import wait_for_neo4j
from persistence.sql.database import StoreUnavailableError, retry_until, wait_for_postgres

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["wait_for_stores"]


def _wait_for_redis(settings: Settings) -> None:
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1.0)
    try:
        retry_until(
            client.ping,
            store="Redis",
            seconds=settings.store_wait_seconds,
            errors=(redis.ConnectionError, redis.TimeoutError),
        )
    finally:
        client.close()


def wait_for_stores(settings: Settings) -> None:
    try:
        wait_for_postgres(settings.database_url, seconds=settings.store_wait_seconds)
        wait_for_neo4j(settings, seconds=settings.store_wait_seconds)
        _wait_for_redis(settings)
    except (StoreUnavailableError, RuntimeError) as error:
        raise click.ClickException(str(error)) from None
