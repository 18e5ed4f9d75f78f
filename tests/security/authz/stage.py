"""The world the matrix runs in, rebuilt only after a case wrote to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tests.security.authz.world import World, build_world
from tests.support.stores import reset_redis, reset_sql

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings

__all__ = ["Stage"]


@dataclass
class Stage:
    """The world the cases run in, kept while no case changes it (reads and refusals do not)."""

    engine: Engine
    settings: Settings
    world: World | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # by username, valid for this world
    dirty: bool = True

    def ready(self) -> World:
        """Given empty stores holding only the world (PostgreSQL rows; the graph stays empty)."""
        if self.dirty or self.world is None:
            reset_sql(self.engine)
            reset_redis(self.settings.redis_url)
            self.world = build_world(self.engine)
            self.tokens.clear()
            self.dirty = False
        return self.world
