"""`python -m benchmarks.cpu`: the API's own CPU time per request for each benchmarked read.

On a shared machine wall-clock latencies swing with everyone else's load; the CPU a request
costs does not. This serves the app in-process (httpx's ASGI transport, lifespan included) on
the stores the environment names, which must hold the quick world (as `python -m
benchmarks.profile --stores env` leaves them, or `--prepare` loads it), and reports CPU
milliseconds per request (this process: the app and its in-process client, the same for every
tree measured) at c=1 and c=16. `--read NAME` (repeatable) measures only those reads;
`--like-for-like` sends the documents the read suite sends (the fields every compared server
has) instead of the contract's whole operations. `--read Typename` measures `{ __typename }`,
the fixed cost every request pays (HTTP, the token check, parsing, validation, extensions).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from benchmarks.data import generate
from benchmarks.documents import operation, trimmed
from benchmarks.env import environment_env, settings_of
from benchmarks.reads import Fixture, reads
from benchmarks.scale import SCALES

__all__ = ["main"]

REQUESTS = {1: 60, 16: 160}
ROUNDS = 3
TYPENAME = "Typename"


Send = Callable[[int], Awaitable[None]]


def _sender(
    client: httpx.AsyncClient,
    fixture: Fixture,
    name: str,
    document: str,
    variables: Callable[[int], dict[str, Any]],
) -> Send:
    async def send(index: int) -> None:
        headers = {"authorization": f"Bearer {fixture.token(index)}"}
        body = {"query": document, "variables": variables(index)}
        answer = await client.post("/graphql", json=body, headers=headers)
        if answer.status_code != 200 or "errors" in answer.json():
            raise RuntimeError(f"{name}: {answer.text[:300]}")

    return send


def _documents(
    fixture: Fixture, schemas: list[Any], names: list[str]
) -> list[tuple[str, str, Callable[[int], dict[str, Any]]]]:
    """(name, document, variables) of each read to measure, `{ __typename }` first."""
    found: list[tuple[str, str, Callable[[int], dict[str, Any]]]] = []
    if not names or TYPENAME in names:
        found.append((TYPENAME, "{ __typename }", lambda _: {}))
    for read in reads(fixture):
        if not names or read.name in names:
            found.append(
                (read.name, trimmed(operation(read.operation), *schemas)[0], read.variables)
            )
    return found


async def _cpu_per_request(send: Send, total: int, width: int) -> float:
    indexes = iter(range(total))

    async def caller() -> None:
        for index in indexes:
            await send(index)

    started = time.process_time()
    await asyncio.gather(*(caller() for _ in range(width)))
    return (time.process_time() - started) * 1000 / total


async def _measure(arguments: argparse.Namespace) -> None:
    env = environment_env()
    os.environ.update(env)
    import strawberry

    from benchmarks.naive import Query as NaiveQuery
    from benchmarks.profile import prepare_stores
    from schema.app import create_app
    from schema.schema import build_schema

    settings = settings_of(env)
    world = generate(SCALES["quick"])
    if arguments.prepare:
        prepare_stores(env, world, shared_graph=True)
    fixture = Fixture(world, settings)
    schemas = [build_schema(settings)._schema]
    if arguments.like_for_like:
        schemas.append(strawberry.Schema(query=NaiveQuery)._schema)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            for name, document, variables in _documents(fixture, schemas, arguments.read):
                send = _sender(client, fixture, name, document, variables)
                await _cpu_per_request(send, 8, 1)  # warm up
                for width, total in REQUESTS.items():
                    rounds = [await _cpu_per_request(send, total, width) for _ in range(ROUNDS)]
                    spread = f"{min(rounds):.1f}-{max(rounds):.1f}"
                    print(
                        f"{name} c={width}: {statistics.median(rounds):.1f} CPU ms/request ({spread})",
                        flush=True,
                    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpu")
    parser.add_argument("--read", action="append", default=[], help="only this read (repeat)")
    parser.add_argument("--prepare", action="store_true", help="load the quick world first")
    parser.add_argument(
        "--like-for-like", action="store_true", help="the read suite's trimmed documents"
    )
    asyncio.run(_measure(parser.parse_args(argv)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
