"""A worker process's PostgreSQL engine: a connection per thread, and no TLS to its own host."""

from __future__ import annotations

import pytest
from sqlalchemy.pool import QueuePool

from persistence.sql.database import WORKER_SPARE_CONNECTIONS, make_worker_engine, tls_to_local_off

LOCAL = "postgresql+psycopg://lg:secret@127.0.0.1:5432/lg"


@pytest.mark.parametrize(
    "url",
    [
        LOCAL,
        "postgresql+psycopg://lg@localhost/lg",
        "postgresql+psycopg://lg@[::1]/lg",
        "postgresql+psycopg://lg@/lg?host=/var/run/postgresql",
    ],
)
def test_a_postgresql_on_this_machine_is_reached_without_tls(url: str) -> None:
    assert tls_to_local_off(url) == {"sslmode": "disable"}


def test_a_remote_postgresql_or_a_chosen_sslmode_is_left_to_libpq() -> None:
    assert tls_to_local_off("postgresql+psycopg://lg@db.internal/lg") == {}
    assert tls_to_local_off(f"{LOCAL}?sslmode=require") == {}


def test_the_pool_keeps_a_connection_open_per_thread_and_a_few_spare() -> None:
    engine = make_worker_engine(LOCAL, threads=6)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == 6 + WORKER_SPARE_CONNECTIONS
    finally:
        engine.dispose()
