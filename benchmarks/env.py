"""Which stores a benchmark run uses: the bench profile's, or those named by the environment."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from config.settings import Settings
from ops.services import get_profile

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ENV_KEYS", "bench_env", "environment_env", "settings_of"]

ENV_KEYS = (
    "DATABASE_URL",
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "REDIS_URL",
    "TOKEN_SECRET",
    "LG_ADMIN_USERNAME",
    "LG_ADMIN_PASSWORD",
)

# Knobs every benchmark process gets: counts on, no relay sweeping the outbox mid-measurement.
COMMON = {
    "QUERY_STATS": "true",
    "STORE_WAIT_SECONDS": "20",
    "RELAY_INTERVAL_SECONDS": "3600",
    "RECONCILE_INTERVAL_SECONDS": "0",
    "MAX_PAGE_SIZE": "100",
    # every server the same, and small enough that all three (one process per CPU each) fit
    # in a shared PostgreSQL's 100 connections
    "DATABASE_POOL_SIZE": "10",
    "DATABASE_MAX_OVERFLOW": "0",
    "DATABASE_READ_POOL_SIZE": "10",
}


def bench_env() -> dict[str, str]:
    """The bench profile of ops/services.py (database learngraph_bench, Redis 6392, bolt 7690)."""
    profile = get_profile("bench")
    return {
        "DATABASE_URL": "postgresql+psycopg://learngraph:learngraph@127.0.0.1:"
        f"{profile.pg_port}/{profile.pg_database}",
        "NEO4J_URI": f"bolt://127.0.0.1:{profile.neo4j_bolt_port}",
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": profile.neo4j_password,
        "NEO4J_DATABASE": "neo4j",
        "REDIS_URL": f"redis://127.0.0.1:{profile.redis_port}/0",
        "TOKEN_SECRET": "bench-secret-0123456789abcdef-0123456789",
        "LG_ADMIN_USERNAME": "admin",
        "LG_ADMIN_PASSWORD": "admin-password",
        **COMMON,
    }


def environment_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The stores named by the current environment (the smoke test points it at the test ones)."""
    source = os.environ if environ is None else environ
    missing = [key for key in ENV_KEYS[:6] if key not in source and key != "NEO4J_DATABASE"]
    if missing:
        raise SystemExit(f"--stores env needs {', '.join(missing)} in the environment")
    chosen = {key: source[key] for key in ENV_KEYS if key in source}
    return {"NEO4J_DATABASE": "neo4j", **chosen, **COMMON}


def settings_of(env: Mapping[str, str]) -> Settings:
    """A Settings object built from exactly this env (no .env file, no other variables)."""
    values: dict[str, Any] = {name.lower(): value for name, value in env.items()}
    return Settings.model_validate(values)
