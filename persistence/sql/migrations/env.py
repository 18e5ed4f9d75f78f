"""Alembic environment: the database URL comes from the one settings object."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from config.settings import get_settings
from persistence.sql.models import Base


def run_migrations() -> None:
    url = context.config.attributes.get("database_url") or get_settings().database_url
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
