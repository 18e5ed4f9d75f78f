"""migrate and seed: schema changes on both stores, the bootstrap admin, the demo world."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from persistence.graph.constraints import ensure_schema
from persistence.graph.driver import make_sync_driver, wait_for_neo4j
from persistence.sql.badges import ensure_badge_catalogue
from persistence.sql.bootstrap import ensure_admin
from persistence.sql.database import make_sync_engine, sync_session_factory, wait_for_postgres
from persistence.sql.migrate import upgrade_to_head

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["ensure_bootstrap_admin", "migrate_all", "seed_demo"]

Echo = Callable[[str], None]


def migrate_all(settings: Settings, *, echo: Echo) -> None:
    wait_for_postgres(settings.database_url, seconds=settings.store_wait_seconds)
    upgrade_to_head(settings.database_url)
    echo("PostgreSQL: migrations at head")
    wait_for_neo4j(settings, seconds=settings.store_wait_seconds)
    driver = make_sync_driver(settings)
    try:
        ensure_schema(driver, database=settings.neo4j_database)
    finally:
        driver.close()
    echo("Neo4j: constraints and indexes in place")
    ensure_bootstrap_admin(settings)
    echo(f"admin account: {settings.lg_admin_username}")


def ensure_bootstrap_admin(settings: Settings) -> None:
    """The rows the product needs to work: the bootstrap admin and the badge catalogue."""
    engine = make_sync_engine(settings.database_url)
    try:
        with sync_session_factory(engine).begin() as session:
            ensure_badge_catalogue(session)
            ensure_admin(
                session,
                username=settings.lg_admin_username,
                password=settings.lg_admin_password.get_secret_value(),
            )
    finally:
        engine.dispose()
    _send_pending(settings)


def _send_pending(settings: Settings) -> None:
    from tasks.relay import relay_once

    relay_once(min_age_seconds=0)


def seed_demo(settings: Settings, *, echo: Echo) -> None:
    from persistence.sql.seed import load_demo_world

    ensure_bootstrap_admin(settings)
    engine = make_sync_engine(settings.database_url)
    try:
        with sync_session_factory(engine).begin() as session:
            summary = load_demo_world(session)
    finally:
        engine.dispose()
    _send_pending(settings)
    echo(f"demo data: {summary}")
