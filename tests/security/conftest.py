"""The security tier runs on the real test stores, like the integration tier."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import pytest

from schema.app import create_app
from tests.integration.conftest import api, clean_stores, engine, graph, settings
from tests.support.api import Api
from tests.support.asgi import in_process_client

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["api", "clean_stores", "engine", "graph", "settings"]

ApiWith = Callable[..., contextlib.AbstractAsyncContextManager[Api]]


@pytest.fixture
def api_with(settings: Settings) -> ApiWith:
    """An API whose settings differ from the test profile's by the given values."""

    @contextlib.asynccontextmanager
    async def running(**changes: Any) -> AsyncIterator[Api]:
        app = create_app(settings.model_copy(update=changes))
        async with app.router.lifespan_context(app), in_process_client(app) as client:
            yield Api(client)

    return running


PRODUCTION = {
    "lg_env": "production",
    "graphiql": False,
    "introspection": False,
    "suggestions": False,
}
