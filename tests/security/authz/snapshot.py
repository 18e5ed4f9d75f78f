"""A fingerprint of every row in PostgreSQL, to prove that a refused write wrote nothing."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, text

__all__ = ["fingerprint"]

# Written by reads or by the refusal itself, never as the refused write's effect.
UNWATCHED = ("alembic_version",)
UNWATCHED_MARKS = ("audit",)


@cache
def _watched(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        names = connection.execute(
            text(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ).scalars()
        return [
            name
            for name in names
            if name not in UNWATCHED and not any(mark in name for mark in UNWATCHED_MARKS)
        ]


def fingerprint(engine: Engine) -> dict[str, str]:
    """Each table's rows hashed (outbox included): any insert, update or delete changes it."""
    parts = [
        f"SELECT '{name}' AS name,"  # noqa: S608  # table names come from the catalogue
        f" md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS rows FROM \"{name}\" t"
        for name in _watched(engine)
    ]
    with engine.connect() as connection:
        found = connection.execute(text(" UNION ALL ".join(parts))).all()
    return {row.name: row.rows for row in found}
