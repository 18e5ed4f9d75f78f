"""Reads over real HTTP: the API against the direct (no GraphQL) and naive (per item) servers."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import strawberry

from benchmarks.documents import operation, trimmed
from benchmarks.naive import Query as NaiveQuery
from benchmarks.results import Result
from benchmarks.timing import Samples, run_closed_loop
from cli.serving import available_cpus
from domain.roles import Role
from domain.security import Principal, issue_token
from schema.schema import build_schema
from schema.types.pagination import encode_cursor

if TYPE_CHECKING:
    from benchmarks.data import World
    from benchmarks.processes import Server
    from benchmarks.scale import Scale
    from config.settings import Settings

__all__ = ["CLIENT_LIMITS", "Fixture", "Read", "measure", "read_benchmarks", "reads"]

CONCURRENCIES = (1, 16)
JSON_TYPES = ("application/json", "application/graphql-response+json")
Log = Callable[[str], None]
# Idle connections are dropped before the servers' own keep-alive timeouts (uvicorn's and
# node's are 5 s): reusing one the server is closing that moment fails with a ReadError.
CLIENT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=2.0)


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
            # generated users are loaded as new, so their token generation is the first
            issue_token(
                Principal(learner, Role.STUDENT), generation=1, secret=secret, ttl_seconds=86_400
            )
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
    media = response.headers.get("content-type", "")
    body = response.json() if media.startswith(JSON_TYPES) else {}
    if isinstance(body, dict) and body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors'][:1]}")
    sql, cypher = response.headers.get("x-round-trips", "0,0").split(",")
    return float(sql) + float(cypher)


async def measure(
    client: httpx.AsyncClient,
    *,
    fixture: Fixture,
    read: Read,
    document: str,
    server: Server,
    total: int,
    concurrency: int,
) -> Samples:
    """`total` requests of one read; the direct server is asked the direct way (GET, JSON).

    A request that cannot be sent because its server died stops the run, naming the server.
    """

    async def graphql(index: int) -> float:
        headers = {"authorization": f"Bearer {fixture.token(index)}"}
        body = {"query": document, "variables": read.variables(index)}
        return _trips(await client.post(f"{server.base}/graphql", json=body, headers=headers))

    async def direct(index: int) -> float:
        path, params = read.direct(index)
        return _trips(await client.get(f"{server.base}{path}", params=params))

    call = direct if server.name == "direct" else graphql
    try:
        return await run_closed_loop(call, total=total, concurrency=concurrency)
    except httpx.TransportError:
        server.check_alive()
        raise
    except httpx.HTTPStatusError as error:
        answer = error.response
        raise RuntimeError(
            f"the {server.name} server answered {answer.status_code}: {answer.text[:300]}"
        ) from None


Rounds = list[dict[str, Samples]]


def _median_of(rounds: Rounds, value: Callable[[dict[str, Samples]], float]) -> float:
    return statistics.median(value(one) for one in rounds)


def _server_median(rounds: Rounds, server: str, value: Callable[[Samples], float]) -> float:
    return statistics.median(value(one[server]) for one in rounds)


def _compared(
    name: str, rounds: Rounds, baseline: str, *, faster: bool, goal: str, limit: float
) -> Result:
    """ours against one baseline at p50: the median of the rounds' ratios, with their spread."""

    def ratio(one: dict[str, Samples]) -> float:
        ours, other = one["ours"].p50_ms, one[baseline].p50_ms
        return other / ours if faster else ours / other

    ratios = [ratio(one) for one in rounds]
    middle = statistics.median(ratios)
    meets = middle >= limit if faster else middle <= limit
    spread = f"rounds {min(ratios):.2f}-{max(ratios):.2f}x"
    return Result(
        name,
        _median_of(rounds, lambda one: one["ours"].p50_ms),
        _median_of(rounds, lambda one: one[baseline].p50_ms),
        middle,
        goal,
        meets,
        "ms",
        spread,
        {"round_ratios": ratios},
    )


def _rows(read: Read, concurrency: int, rounds: Rounds, dropped: list[str]) -> list[Result]:
    prefix = f"read.{read.name}.c{concurrency}"
    naive_goal = f">= {read.naive_goal:g}x faster" if read.naive_goal > 1 else "faster"
    vs_direct = _compared(
        f"{prefix}.p50 vs direct", rounds, "direct", faster=False, goal="<= 2x", limit=2.0
    )
    if dropped:
        vs_direct.notes += (
            f"; fields the baselines lack, left out for all three: {', '.join(dropped)}"
        )
    vs_naive = _compared(
        f"{prefix}.p50 vs naive",
        rounds,
        "naive",
        faster=True,
        goal=naive_goal,
        limit=max(read.naive_goal, 1.0),
    )
    rates = {name: _server_median(rounds, name, lambda s: s.rate) for name in rounds[0]}
    vs_direct.extra["p99_ms"] = {n: _server_median(rounds, n, lambda s: s.p(0.99)) for n in rates}
    vs_direct.extra["requests_per_second"] = rates
    rows = [vs_direct, vs_naive]
    if concurrency > 1:
        rows.append(
            Result(
                f"{prefix}.requests/s vs direct",
                rates["ours"],
                rates["direct"],
                rates["ours"] / rates["direct"],
                ">= 0.5x",
                rates["ours"] / rates["direct"] >= 0.5,
                "req/s",
                f"naive {rates['naive']:.0f} req/s",
            )
        )
    else:
        trips = {n: statistics.fmean(o[n].mean_count for o in rounds) for n in rates}
        rows.append(
            Result(
                f"read.{read.name}.round_trips",
                trips["ours"],
                trips["direct"],
                trips["ours"] / trips["direct"],
                "<= direct + 2",
                trips["ours"] <= trips["direct"] + 2,
                "queries/request",
                f"naive {trips['naive']:.0f}",
            )
        )
    return rows


async def _rounds(
    client: httpx.AsyncClient,
    *,
    fixture: Fixture,
    read: Read,
    document: str,
    servers: list[Server],
    total: int,
    concurrency: int,
    count: int,
) -> Rounds:
    """`count` rounds; each round every server in turn, the first one rotating between rounds."""
    rounds: Rounds = []
    for number in range(count):
        order = servers[number % len(servers) :] + servers[: number % len(servers)]
        one: dict[str, Samples] = {}
        for server in order:
            one[server.name] = await measure(
                client,
                fixture=fixture,
                read=read,
                document=document,
                server=server,
                total=total,
                concurrency=concurrency,
            )
        rounds.append(one)
    return rounds


def _load_row(before: float, after: float, processes: int) -> Result:
    return Result(
        "read.machine load average (1 min), before vs after",
        before,
        after,
        None,
        "-",
        None,
        "load",
        f"{available_cpus()} CPUs; every server ran {processes} processes",
    )


async def read_benchmarks(
    servers: list[Server], world: World, settings: Settings, scale: Scale, log: Log
) -> list[Result]:
    fixture = Fixture(world, settings)
    ours_schema = build_schema(settings)._schema
    naive_schema = strawberry.Schema(query=NaiveQuery)._schema
    results: list[Result] = []
    before = os.getloadavg()[0]
    limits = CLIENT_LIMITS
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        for read in reads(fixture):
            document, dropped = trimmed(operation(read.operation), ours_schema, naive_schema)
            for server in servers:  # warm up connections, caches and plans
                await measure(
                    client,
                    fixture=fixture,
                    read=read,
                    document=document,
                    server=server,
                    total=16,
                    concurrency=4,
                )
            for concurrency in CONCURRENCIES:
                total = max(scale.read_requests, concurrency)
                rounds = await _rounds(
                    client,
                    fixture=fixture,
                    read=read,
                    document=document,
                    servers=servers,
                    total=total,
                    concurrency=concurrency,
                    count=scale.read_rounds,
                )
                results += _rows(read, concurrency, rounds, dropped)
                ratio = results[-3].ratio or 0.0
                log(
                    f"reads: {read.name} c={concurrency} ours/direct {ratio:.2f}x ({results[-3].notes.split(';')[0]})"
                )
    return [*results, _load_row(before, os.getloadavg()[0], scale.processes)]
