"""Reads over real HTTP: the API against the direct (no GraphQL) and naive (per item) servers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import strawberry

from benchmarks.data import World
from benchmarks.documents import operation, trimmed
from benchmarks.naive import Query as NaiveQuery
from benchmarks.results import Result
from benchmarks.scale import Scale
from benchmarks.timing import Samples, run_closed_loop
from config.settings import Settings
from domain.security import Principal, issue_token
from schema.schema import build_schema
from schema.types.pagination import encode_cursor

__all__ = ["Fixture", "Servers", "measure", "read_benchmarks", "reads"]

CONCURRENCIES = (1, 16)
ROUNDS = 2  # servers take turns, so a noisy moment does not fall on one of them only


@dataclass(frozen=True)
class Servers:
    ours: str
    naive: str
    direct: str


@dataclass(frozen=True)
class Read:
    """One benchmarked read: the GraphQL operation, its variables and the direct equivalent."""

    name: str
    operation: str
    variables: Callable[[int], dict[str, Any]]
    direct: Callable[[int], tuple[str, dict[str, str]]]
    naive_goal: float  # how many times faster than naive ours should be


class Fixture:
    """Who asks and about what: learners with tokens, concepts with prerequisites, paths."""

    def __init__(self, world: World, settings: Settings) -> None:
        secret = settings.token_secret.get_secret_value()
        self.learners = world.student_ids[:32]
        self.tokens = [
            issue_token(Principal(learner, "student"), secret=secret, ttl_seconds=86_400)
            for learner in self.learners
        ]
        cluster = 50
        deep = [row for i, row in enumerate(world.concepts) if i % cluster == cluster - 1]
        self.concepts: list[str] = [str(row[1]) for row in (deep or world.concepts)][:32]
        self.concept_ids = {row[1]: row[0] for row in world.concepts}
        self.paths = [str(row[0]) for row in world.paths]
        self.pages = max(1, len(world.concepts) // 50 - 1)

    def learner(self, index: int) -> str:
        return str(self.learners[index % len(self.learners)])

    def token(self, index: int) -> str:
        return self.tokens[index % len(self.tokens)]


def reads(fixture: Fixture) -> list[Read]:
    def concept(i: int) -> str:
        return fixture.concepts[i % len(fixture.concepts)]

    def path(i: int) -> str:
        return fixture.paths[i % len(fixture.paths)]

    def offset(i: int) -> int:
        return (i % fixture.pages) * 50

    def after(i: int) -> str | None:
        return encode_cursor(offset(i)) if offset(i) else None

    return [
        Read(
            "Dashboard",
            "Dashboard",
            lambda i: {},
            lambda i: ("/dashboard", {"user": fixture.learner(i)}),
            5.0,
        ),
        Read(
            "ConceptPage",
            "ConceptPage",
            lambda i: {"name": concept(i)},
            lambda i: ("/concept", {"name": concept(i), "user": fixture.learner(i)}),
            1.0,
        ),
        Read(
            "LearningPath",
            "LearningPath",
            lambda i: {"id": path(i)},
            lambda i: ("/path", {"id": path(i), "user": fixture.learner(i)}),
            1.0,
        ),
        Read(
            "Concepts",
            "Concepts",
            lambda i: {"first": 50, "after": after(i)},
            lambda i: ("/concepts", {"first": "50", "offset": str(offset(i))}),
            5.0,
        ),
    ]


def _trips(response: httpx.Response) -> float:
    response.raise_for_status()
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else {}
    )
    if isinstance(body, dict) and body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors'][:1]}")
    sql, cypher = response.headers.get("x-round-trips", "0,0").split(",")
    return float(sql) + float(cypher)


async def measure(
    client: httpx.AsyncClient,
    fixture: Fixture,
    read: Read,
    document: str,
    target: str,
    total: int,
    concurrency: int,
) -> Samples:
    """`target` is a base URL; one ending in #direct is asked the direct way (GET, JSON)."""
    base = target.removesuffix("#direct")

    async def graphql(index: int) -> float:
        headers = {"authorization": f"Bearer {fixture.token(index)}"}
        body = {"query": document, "variables": read.variables(index)}
        return _trips(await client.post(f"{base}/graphql", json=body, headers=headers))

    async def direct(index: int) -> float:
        path, params = read.direct(index)
        return _trips(await client.get(f"{base}{path}", params=params))

    call = direct if target.endswith("#direct") else graphql
    return await run_closed_loop(call, total=total, concurrency=concurrency)


def _rows(
    read: Read, concurrency: int, samples: dict[str, Samples], dropped: list[str]
) -> list[Result]:
    ours, direct, naive = samples["ours"], samples["direct"], samples["naive"]
    prefix = f"read.{read.name}.c{concurrency}"
    note = (
        f"fields the baselines do not implement, left out for all three: {', '.join(dropped)}"
        if dropped
        else ""
    )
    vs_direct = ours.p50_ms / direct.p50_ms
    speedup = naive.p50_ms / ours.p50_ms
    trips = {"ours": ours.mean_count, "direct": direct.mean_count, "naive": naive.mean_count}
    extra = {
        "p99_ms": {k: v.p(0.99) for k, v in samples.items()},
        "round_trips": trips,
        "requests_per_second": {k: len(v.seconds) / v.elapsed for k, v in samples.items()},
    }
    naive_goal = f">= {read.naive_goal:g}x faster" if read.naive_goal > 1 else "faster"
    rows = [
        Result(
            f"{prefix}.p50 vs direct",
            ours.p50_ms,
            direct.p50_ms,
            vs_direct,
            "<= 2x",
            vs_direct <= 2.0,
            "ms",
            note,
            extra,
        ),
        Result(
            f"{prefix}.p50 vs naive",
            ours.p50_ms,
            naive.p50_ms,
            speedup,
            naive_goal,
            speedup >= max(read.naive_goal, 1.0),
            "ms",
        ),
    ]
    if concurrency == 1:
        detail = f"naive {trips['naive']:.0f}"
        rows.append(
            Result(
                f"read.{read.name}.round_trips",
                trips["ours"],
                trips["direct"],
                trips["ours"] / trips["direct"],
                "bounded",
                None,
                "queries/request",
                detail,
            )
        )
    return rows


async def read_benchmarks(
    servers: Servers, world: World, settings: Settings, scale: Scale, log: Callable[[str], None]
) -> list[Result]:
    fixture = Fixture(world, settings)
    ours_schema = build_schema(settings)._schema
    naive_schema = strawberry.Schema(query=NaiveQuery)._schema
    results: list[Result] = []
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        for read in reads(fixture):
            document, dropped = trimmed(operation(read.operation), ours_schema, naive_schema)
            kinds = {
                "ours": servers.ours,
                "naive": servers.naive,
                "direct": servers.direct + "#direct",
            }
            for kind in kinds.values():  # warm up connections, caches and plans
                await measure(client, fixture, read, document, kind, 4, 1)
            for concurrency in CONCURRENCIES:
                total = max(scale.read_requests // ROUNDS, 1)
                samples = {name: Samples() for name in kinds}
                for _ in range(ROUNDS):
                    for name, kind in kinds.items():
                        samples[name].extend(
                            await measure(client, fixture, read, document, kind, total, concurrency)
                        )
                results += _rows(read, concurrency, samples, dropped)
                log(
                    f"reads: {read.name} c={concurrency} ours p50 {samples['ours'].p50_ms:.1f} ms, direct {samples['direct'].p50_ms:.1f}, naive {samples['naive'].p50_ms:.1f}"
                )
    return results
