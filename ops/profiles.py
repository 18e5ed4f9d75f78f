"""The profiles: ports, credentials and state directory of each environment (dev, test...)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ops.core import VAR_DIR, ServiceError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["NEO4J_USER", "PG_PASSWORD", "PG_USER", "PROFILE_NAMES", "Profile", "get_profile"]

# Local development credentials, not secrets.
PG_USER = "learngraph"
PG_PASSWORD = "learngraph"  # noqa: S105
NEO4J_USER = "neo4j"

_PROFILE_DEFAULTS: dict[str, dict[str, int | str]] = {
    "dev": {
        "pg_port": 5432,
        "pg_database": "learngraph",
        "redis_port": 6379,
        "neo4j_bolt_port": 7687,
        "neo4j_password": "learngraph-dev",
    },
    "test": {
        "pg_port": 5432,
        "pg_database": "learngraph_test",
        "redis_port": 6390,
        "neo4j_bolt_port": 7688,
        "neo4j_password": "learngraph-test",
    },
    # Private Redis and Neo4j for the tests that stop and start stores on purpose
    # (fault and degraded-mode tests), so that they never disturb the rest of the suite.
    "fault": {
        "pg_port": 5432,
        "pg_database": "learngraph_fault",
        "redis_port": 6391,
        "neo4j_bolt_port": 7689,
        "neo4j_password": "learngraph-fault",
    },
    # Benchmarks fill and empty their stores freely, away from the demo data.
    "bench": {
        "pg_port": 5432,
        "pg_database": "learngraph_bench",
        "redis_port": 6392,
        "neo4j_bolt_port": 7690,
        "neo4j_password": "learngraph-bench",
    },
}
PROFILE_NAMES = tuple(sorted(_PROFILE_DEFAULTS))
_ENV_OVERRIDES = {
    "pg_port": "LG_PG_PORT",
    "pg_database": "LG_PG_DATABASE",
    "redis_port": "LG_REDIS_PORT",
    "neo4j_bolt_port": "LG_NEO4J_BOLT_PORT",
    "neo4j_password": "LG_NEO4J_PASSWORD",
}


@dataclass(frozen=True)
class Profile:
    """Ports, credentials and state directory of one environment (dev or test)."""

    name: str
    pg_port: int
    pg_database: str
    redis_port: int
    neo4j_bolt_port: int
    neo4j_password: str

    @property
    def root(self) -> Path:
        """Directory holding this profile's data, pid files and logs."""
        return VAR_DIR / self.name

    @property
    def logs(self) -> Path:
        """Directory holding this profile's service logs."""
        return self.root / "logs"


def get_profile(name: str) -> Profile:
    """Return profile ``name`` with LG_* environment overrides applied."""
    if name not in _PROFILE_DEFAULTS:
        choices = ", ".join(_PROFILE_DEFAULTS)
        raise ServiceError(f"unknown profile {name!r} (expected one of {choices})")
    values = dict(_PROFILE_DEFAULTS[name])
    for key, env_var in _ENV_OVERRIDES.items():
        override = os.environ.get(env_var)
        if override:
            values[key] = int(override) if isinstance(values[key], int) else override
    return Profile(name=name, **values)  # type: ignore[arg-type]
