"""No API statement holds a PostgreSQL connection longer than DB_STATEMENT_TIMEOUT_SECONDS."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from schema.app import open_resources

if TYPE_CHECKING:
    from config.settings import Settings


async def test_the_api_engine_cancels_a_statement_that_runs_past_the_timeout(
    settings: Settings,
) -> None:
    # given the API's resources with a timeout of a quarter second
    resources = open_resources(settings.model_copy(update={"db_statement_timeout_seconds": 0.25}))
    try:
        async with resources.sessions() as session:
            # then the session carries the timeout, and a longer statement is cancelled
            assert await session.scalar(text("SHOW statement_timeout")) == "250ms"
            with pytest.raises(OperationalError, match="statement timeout"):
                await session.execute(text("SELECT pg_sleep(5)"))
    finally:
        await resources.driver.close()
        await resources.engine.dispose()


async def test_the_default_timeout_is_ten_seconds(settings: Settings) -> None:
    resources = open_resources(settings)
    try:
        async with resources.sessions() as session:
            assert await session.scalar(text("SHOW statement_timeout")) == "10s"
    finally:
        await resources.driver.close()
        await resources.engine.dispose()
