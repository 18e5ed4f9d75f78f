"""Fixtures for the authorization matrix: one API for the module, a world rebuilt once written.

The matrix keeps its world between cases that wrote nothing, so it empties the stores itself
(Stage.ready) instead of before every test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from schema.app import create_app
from tests.integration.conftest import engine, settings
from tests.security.authz.stage import Stage
from tests.support.api import Api
from tests.support.asgi import in_process_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy import Engine

    from config.settings import Settings

__all__ = ["api", "clean_stores", "engine", "settings", "stage"]


@pytest.fixture(autouse=True)
def clean_stores() -> None:
    """Leaves the stores as the previous case did: the stage rebuilds them when written."""


@pytest.fixture(scope="module")
async def api(settings: Settings) -> AsyncIterator[Api]:
    """The GraphQL API over an in-process ASGI transport, lifespan included."""
    app = create_app(settings)
    async with app.router.lifespan_context(app), in_process_client(app) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def stage(engine: Engine, settings: Settings) -> Stage:
    return Stage(engine, settings)
