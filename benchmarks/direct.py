"""The direct baseline: the benchmarked reads by hand-written SQL and Cypher, no GraphQL.

Served over HTTP as plain JSON by the same uvicorn set-up as the API (see served.py), so that
the comparison isolates what GraphQL, resolvers and loaders cost. Raw psycopg pool, async neo4j.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from benchmarks import direct_sql as q
from config.settings import get_settings
from persistence.graph.driver import make_async_driver
from persistence.sql.database import libpq_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from neo4j import AsyncDriver
    from psycopg import AsyncConnection
    from starlette.requests import Request

__all__ = ["create_direct_app"]


async def _rows(
    connection: AsyncConnection[Any], sql: str, params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    cursor = await connection.execute(sql, params)
    return await cursor.fetchall()


def _stores(request: Request) -> tuple[AsyncConnectionPool, AsyncDriver]:
    return request.app.state.pool, request.app.state.driver


async def dashboard(request: Request) -> JSONResponse:
    pool, _ = _stores(request)
    params = {"user": request.query_params["user"], "limit": 51}
    async with pool.connection() as connection:
        result = {
            "user": await _rows(connection, q.USER, params),
            "figures": await _rows(connection, q.FIGURES, params),
            "days": await _rows(connection, q.ACTIVE_DAYS, params),
            "progress": await _rows(connection, q.PROGRESS_PAGE, params),
            "attempts": await _rows(connection, q.ATTEMPTS, params),
            "achievements": await _rows(connection, q.ACHIEVEMENTS, params),
            "enrolled": await _rows(connection, q.ENROLLED, params),
        }
    return JSONResponse(jsonable(result))


async def concept(request: Request) -> JSONResponse:
    pool, driver = _stores(request)
    async with pool.connection() as connection:
        rows = await _rows(connection, q.CONCEPT, {"name": request.query_params["name"]})
        if not rows:
            return JSONResponse({"concept": None})
        params = {"concept": rows[0][0], "user": request.query_params["user"]}
        quizzes = await _rows(connection, q.QUIZZES, params)
        mine = await _rows(connection, q.MY_PROGRESS, params)
    records, _, _ = await driver.execute_query(q.PREREQUISITES, id=str(rows[0][0]), routing_="r")
    prerequisites = [record.data() for record in records]
    result = {"concept": rows[0], "prerequisites": prerequisites, "quizzes": quizzes, "mine": mine}
    return JSONResponse(jsonable(result))


async def path(request: Request) -> JSONResponse:
    pool, _ = _stores(request)
    params = {"path": request.query_params["id"], "user": request.query_params["user"]}
    async with pool.connection() as connection:
        result = {
            "path": await _rows(connection, q.PATH, params),
            "items": await _rows(connection, q.PATH_ITEMS, params),
            "enrollment": await _rows(connection, q.PATH_ENROLLMENT, params),
        }
    return JSONResponse(jsonable(result))


async def concepts(request: Request) -> JSONResponse:
    pool, _ = _stores(request)
    first = int(request.query_params.get("first", "50"))
    params = {"limit": first + 1, "offset": int(request.query_params.get("offset", "0"))}
    async with pool.connection() as connection:
        rows = await _rows(connection, q.CONCEPTS_PAGE, params)
    return JSONResponse(jsonable({"page": rows[:first], "has_next": len(rows) > first}))


def jsonable(value: Any) -> Any:
    """Rows as JSON: tuples to lists, everything else that JSON lacks to str."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def create_direct_app() -> Starlette:
    settings = get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = AsyncConnectionPool(
            libpq_url(settings.database_url),
            min_size=settings.database_pool_size,
            max_size=settings.database_pool_size + settings.database_max_overflow,
            open=False,
        )
        await pool.open(wait=True)
        app.state.pool = pool
        app.state.driver = make_async_driver(settings)
        try:
            yield
        finally:
            await app.state.driver.close()
            await pool.close()

    routes = [
        Route("/dashboard", dashboard),
        Route("/concept", concept),
        Route("/path", path),
        Route("/concepts", concepts),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
