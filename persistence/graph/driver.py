"""Neo4j drivers: async for the API, sync for workers, both bounded by a transaction timeout."""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from config.settings import Settings
from persistence.sql.database import retry_until

__all__ = ["make_async_driver", "make_sync_driver", "wait_for_neo4j"]


def _auth(settings: Settings) -> tuple[str, str]:
    return settings.neo4j_user, settings.neo4j_password.get_secret_value()


def make_async_driver(settings: Settings) -> AsyncDriver:
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=_auth(settings),
        connection_acquisition_timeout=5.0,
        connection_timeout=3.0,
        max_transaction_retry_time=5.0,
    )


def make_sync_driver(settings: Settings) -> Driver:
    return GraphDatabase.driver(
        settings.neo4j_uri,
        auth=_auth(settings),
        connection_acquisition_timeout=5.0,
        connection_timeout=3.0,
        max_transaction_retry_time=5.0,
    )


def wait_for_neo4j(settings: Settings, *, seconds: float) -> None:
    """Block until Neo4j answers a query; an authentication failure is reported at once."""
    driver = make_sync_driver(settings)
    try:
        retry_until(
            lambda: driver.verify_connectivity(),
            store="Neo4j",
            seconds=seconds,
            errors=(ServiceUnavailable, OSError),
        )
    except AuthError as error:
        raise RuntimeError(f"Neo4j refused NEO4J_USER/NEO4J_PASSWORD: {error.message}") from None
    finally:
        driver.close()
