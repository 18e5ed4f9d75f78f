"""Long-lived connections of a worker process, opened on first use and closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import dramatiq

from config.settings import Settings, get_settings
from persistence.graph.driver import make_sync_driver
from persistence.sql.database import make_worker_engine, sync_session_factory
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from neo4j import Driver
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from persistence.sync.mirror import MirrorRegistry

__all__ = ["CloseResources", "WorkerResources", "close_resources", "resources"]


@dataclass(frozen=True)
class WorkerResources:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    driver: Driver
    registry: MirrorRegistry


@cache
def resources() -> WorkerResources:
    settings = get_settings()
    engine = make_worker_engine(settings.database_url, threads=settings.worker_threads)
    return WorkerResources(
        settings=settings,
        engine=engine,
        sessions=sync_session_factory(engine),
        driver=make_sync_driver(settings),
        registry=default_registry(),
    )


class CloseResources(dramatiq.Middleware):
    """Closes the worker's engine and driver when the worker process stops."""

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        close_resources()


def close_resources() -> None:
    """Close the engine and driver if this process opened them (the next use opens anew)."""
    if resources.cache_info().currsize:
        opened = resources()
        opened.driver.close()
        opened.engine.dispose()
        resources.cache_clear()
