"""Liveness and readiness: /readyz checks PostgreSQL, Neo4j and Redis and names what is down."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import redis.asyncio as aioredis
from sqlalchemy import text
from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from starlette.requests import Request

    from resolvers.resources import ApiResources

__all__ = ["healthz", "readyz"]

CHECK_TIMEOUT = 2.0


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "alive"})


async def _postgres(resources: ApiResources) -> None:
    async with resources.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _neo4j(resources: ApiResources) -> None:
    await resources.driver.verify_connectivity()


async def _redis(resources: ApiResources) -> None:
    client = aioredis.from_url(resources.settings.redis_url, socket_connect_timeout=1.0)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _check(name: str, probe: object, resources: ApiResources) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe(resources), CHECK_TIMEOUT)  # type: ignore[operator]
    except Exception as error:  # any failure means not ready; the type names it
        return name, f"down: {type(error).__name__}"
    return name, "ok"


async def readyz(request: Request) -> JSONResponse:
    resources: ApiResources = request.app.state.resources
    probes = {"postgresql": _postgres, "neo4j": _neo4j, "redis": _redis}
    results = dict(await asyncio.gather(*(_check(n, p, resources) for n, p in probes.items())))
    down = [name for name, state in results.items() if state != "ok"]
    body = {"status": "ready" if not down else "unavailable", "checks": results, "down": down}
    return JSONResponse(body, status_code=503 if down else 200)
