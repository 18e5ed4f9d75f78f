"""Neo4j drivers: async for the API, sync for workers, both bounded by a transaction timeout.

Both check a pooled connection that sat idle for a moment before handing it out (a RESET round
trip), so connections left over from before a Neo4j restart are dropped instead of failing the
next transaction. The API's driver gives up fast: its graph fields fall back to SQL or fail
alone, so retrying for long only makes a request wait; with Neo4j down a read ends within about
three seconds (see `make_async_driver`). Workers retry longer: their writes must land.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from persistence.sql.database import retry_until

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["make_async_driver", "make_sync_driver", "wait_for_neo4j"]


def _auth(settings: Settings) -> tuple[str, str]:
    return settings.neo4j_user, settings.neo4j_password.get_secret_value()


# A pooled connection idle longer than this is checked (one RESET) before it is used.
LIVENESS_CHECK_SECONDS = 2.0


def make_async_driver(settings: Settings) -> AsyncDriver:
    """The API's driver.

    Refused connections fail at once; an unanswered connect after 2 s. A read transaction is
    retried (after about 1 s, and 2 s more if the first retry came early) only while its first
    failure is at most 1 s old, so a read against a stopped Neo4j ends after about 1-3.5 s.
    Waiting for a pooled connection is bounded by 3 s (it may include opening one).
    """
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=_auth(settings),
        connection_timeout=2.0,
        connection_acquisition_timeout=3.0,
        max_transaction_retry_time=1.0,
        liveness_check_timeout=LIVENESS_CHECK_SECONDS,
    )


def make_sync_driver(settings: Settings) -> Driver:
    return GraphDatabase.driver(
        settings.neo4j_uri,
        auth=_auth(settings),
        connection_acquisition_timeout=5.0,
        connection_timeout=3.0,
        max_transaction_retry_time=5.0,
        liveness_check_timeout=LIVENESS_CHECK_SECONDS,
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
