"""How long the API takes to refuse what it must not work on: milliseconds, whatever the size.

Against the cheapest request there is (`{ __typename }`): a search term as long as a body may
carry (refused by its length, before any statement), a body declared over MAX_BODY_BYTES
(413 before it is read) and the same body streamed without a length (413 once it passes the
cap).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

import httpx

from benchmarks.reads import CLIENT_LIMITS
from benchmarks.results import Result
from benchmarks.timing import Samples, run_closed_loop

if TYPE_CHECKING:
    from benchmarks.processes import Server
    from config.settings import Settings

__all__ = ["refusal_benchmarks"]

REQUESTS = 30
GOAL_MS = 10.0
SEARCH = "query Search($term: String!) { concepts(filter: {search: $term}) { totalCount } }"
Send = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


def _search_body(max_body: int) -> bytes:
    """A search for a term that fills the body up to its cap."""
    envelope = json.dumps({"query": SEARCH, "variables": {"term": ""}}).encode()
    term = "a" * (max_body - len(envelope))
    return json.dumps({"query": SEARCH, "variables": {"term": term}}).encode()


async def _chunks(body: bytes, size: int = 65_536) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _senders(max_body: int) -> dict[str, tuple[Send, int, str]]:
    """name -> (send, the status it must get, the code it must carry)."""
    headers = {"content-type": "application/json"}
    search = _search_body(max_body)
    oversized = b'{"query": "' + b"a" * max_body + b'"}'

    async def typename(client: httpx.AsyncClient, base: str) -> httpx.Response:
        return await client.post(f"{base}/graphql", json={"query": "{ __typename }"})

    async def long_term(client: httpx.AsyncClient, base: str) -> httpx.Response:
        return await client.post(f"{base}/graphql", content=search, headers=headers)

    async def declared(client: httpx.AsyncClient, base: str) -> httpx.Response:
        return await client.post(f"{base}/graphql", content=oversized, headers=headers)

    async def streamed(client: httpx.AsyncClient, base: str) -> httpx.Response:
        return await client.post(f"{base}/graphql", content=_chunks(oversized), headers=headers)

    return {
        "{ __typename }": (typename, 200, ""),
        f"search term of {len(search) // 1024} KiB (a body at MAX_BODY_BYTES)": (
            long_term,
            200,
            "VALIDATION",
        ),
        f"body of MAX_BODY_BYTES + {len(oversized) - max_body} bytes, declared": (
            declared,
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        "the same body streamed (no length)": (streamed, 413, "PAYLOAD_TOO_LARGE"),
    }


def _checked(response: httpx.Response, status: int, code: str) -> float:
    body = response.json()
    found = body.get("errors", [{}])[0].get("extensions", {}).get("code", "") if code else ""
    if response.status_code != status or found != code:
        raise RuntimeError(f"expected {status} {code}, got {response.status_code}: {body}")
    return 0.0


async def _measure(
    client: httpx.AsyncClient, base: str, send: Send, status: int, code: str
) -> Samples:
    async def one(index: int) -> float:
        return _checked(await send(client, base), status, code)

    await run_closed_loop(one, total=3, concurrency=1)  # warm up
    return await run_closed_loop(one, total=REQUESTS, concurrency=1)


async def refusal_benchmarks(server: Server, settings: Settings) -> list[Result]:
    """p50 of each refusal at c=1, against `{ __typename }` on the same server."""
    measured: dict[str, Samples] = {}
    async with httpx.AsyncClient(timeout=30.0, limits=CLIENT_LIMITS) as client:
        for name, (send, status, code) in _senders(settings.max_body_bytes).items():
            measured[name] = await _measure(client, server.base, send, status, code)
    (cheapest, baseline), *refusals = measured.items()
    return [
        Result(
            f"read.refusal.{name}.p50",
            samples.p50_ms,
            baseline.p50_ms,
            samples.p50_ms / baseline.p50_ms,
            f"<= {GOAL_MS:g} ms",
            samples.p50_ms <= GOAL_MS,
            "ms",
            f"baseline: {cheapest}; p99 {samples.p(0.99):.1f} ms",
        )
        for name, samples in refusals
    ]
