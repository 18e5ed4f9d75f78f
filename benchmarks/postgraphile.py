"""PostGraphile v4 over the same database: what a user could run instead, for the SQL-only reads.

The benchmark set-up installs it from npm (`npm ci` of benchmarks/postgraphile's lock, once per
lock, into var/cache/npm) and serves it with as many processes as the other servers. It reads
the Concepts page of 50 and a learner's progress list with its concepts (50), at c=16, in
rounds that interleave with ours; the rows give requests/s, ours against it (goal >= 0.5x).
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from benchmarks.processes import Server, spawn_started, wait_until
from benchmarks.reads import CLIENT_LIMITS, Fixture, Read, measure
from benchmarks.results import Result, not_run
from ops.processes import free_port, stop

if TYPE_CHECKING:
    from collections.abc import Callable

    from benchmarks.scale import Scale
    from benchmarks.timing import Samples

__all__ = ["postgraphile_benchmarks"]

PROJECT = Path(__file__).resolve().parent / "postgraphile"
CACHE = PROJECT.parents[1] / "var" / "cache" / "npm"
CONCURRENCY = 16
GOAL = 0.5

OUR_PROGRESS = """
query Progress {
  me {
    progress(first: 50) {
      totalCount
      edges { node { concept { id name displayName } status progressPercent masteryScore updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
THEIR_PROGRESS = """
query Progress($user: UUID!) {
  userById(id: $user) {
    conceptProgressesByUserId(first: 50, orderBy: [UPDATED_AT_DESC, CONCEPT_ID_ASC]) {
      totalCount
      edges { node { conceptByConceptId { id name displayName } status progressPercent masteryScore updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
OUR_CONCEPTS = """
query Concepts($first: Int, $after: String) {
  concepts(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name displayName domain category difficulty } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
THEIR_CONCEPTS = """
query Concepts($offset: Int!) {
  allConcepts(first: 50, offset: $offset, orderBy: [NAME_ASC]) {
    totalCount
    edges { cursor node { id name displayName domain category difficulty } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _installed() -> Path | None:
    """PostGraphile's command, installed from the lock; None without node and npm."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None
    manifests = [PROJECT / "package.json", PROJECT / "package-lock.json"]
    digest = hashlib.sha256(b"".join(m.read_bytes() for m in manifests)).hexdigest()[:16]
    target = CACHE / f"postgraphile-{digest}"
    if not (target / ".installed").exists():
        target.mkdir(parents=True, exist_ok=True)
        for manifest in manifests:
            shutil.copy(manifest, target / manifest.name)
        args = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run(args, cwd=target, capture_output=True, check=True, timeout=600)
        (target / ".installed").touch()
    return target / "node_modules" / ".bin" / "postgraphile"


def _answers(base: str) -> bool:
    try:
        body = {"query": "{ __typename }"}
        return httpx.post(f"{base}/graphql", json=body, timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False


def _spawn(command: Path, database_url: str, log: Path, workers: int, pool: int) -> Server:
    """PostGraphile with `workers` processes of `pool` connections each, like ours."""
    port = free_port()
    url = database_url.replace("postgresql+psycopg://", "postgres://", 1)
    args = [str(command), "--connection", url, "--schema", "public", "--port", str(port)]
    args += ["--disable-default-mutations", "--disable-query-log", "--max-pool-size", str(pool)]
    if workers > 1:
        args += ["--cluster-workers", str(workers)]
    server = Server("postgraphile", f"http://127.0.0.1:{port}", spawn_started(args, log, {}), log)
    wait_until(lambda: _answers(server.base) or server.process.poll() is not None, timeout=120)
    server.check_alive()
    return server


def _pairs(fixture: Fixture) -> list[tuple[str, Read, Read]]:
    def offset(i: int) -> int:
        return (i % fixture.pages) * 50

    def after(i: int) -> str | None:
        from schema.types.pagination import encode_cursor

        return encode_cursor(offset(i)) if offset(i) else None

    def nothing(i: int) -> tuple[str, dict[str, str]]:
        return "", {}

    ours_concepts = Read(
        "Concepts", OUR_CONCEPTS, lambda i: {"first": 50, "after": after(i)}, nothing, 1
    )
    theirs_concepts = Read("Concepts", THEIR_CONCEPTS, lambda i: {"offset": offset(i)}, nothing, 1)
    ours_progress = Read("Progress", OUR_PROGRESS, lambda i: {}, nothing, 1)
    theirs_progress = Read(
        "Progress", THEIR_PROGRESS, lambda i: {"user": fixture.learner(i)}, nothing, 1
    )
    return [
        ("Concepts page of 50", ours_concepts, theirs_concepts),
        ("progress list of 50 with concepts", ours_progress, theirs_progress),
    ]


async def _rates(
    client: httpx.AsyncClient,
    *,
    fixture: Fixture,
    pair: tuple[Read, Read],
    servers: tuple[Server, Server],
    total: int,
    rounds_count: int,
) -> list[tuple[float, float]]:
    rates: list[tuple[float, float]] = []
    for number in range(rounds_count):
        one: dict[str, Samples] = {}
        order = [0, 1] if number % 2 == 0 else [1, 0]
        for index in order:
            read, server = pair[index], servers[index]
            one[server.name] = await measure(
                client,
                fixture=fixture,
                read=read,
                document=read.operation,
                server=server,
                total=total,
                concurrency=CONCURRENCY,
            )
        rates.append((one[servers[0].name].rate, one[servers[1].name].rate))
    return rates


async def postgraphile_benchmarks(
    ours: Server,
    *,
    fixture: Fixture,
    database_url: str,
    pool: int,
    logs: Path,
    scale: Scale,
    log: Callable[[str], None],
) -> list[Result]:
    workers, total = scale.processes, max(scale.read_requests * 2, 32)
    command = _installed()
    if command is None:
        reason = "node and npm are needed to run PostGraphile"
        return [not_run("read.vs PostGraphile", f">= {GOAL}x", "req/s", reason)]
    server = _spawn(command, database_url, logs / "postgraphile.log", workers, pool)
    results: list[Result] = []
    try:
        async with httpx.AsyncClient(timeout=60.0, limits=CLIENT_LIMITS) as client:
            for title, mine, theirs in _pairs(fixture):
                for read, target in ((mine, ours), (theirs, server)):  # warm up
                    await measure(
                        client,
                        fixture=fixture,
                        read=read,
                        document=read.operation,
                        server=target,
                        total=16,
                        concurrency=4,
                    )
                rates = await _rates(
                    client,
                    fixture=fixture,
                    pair=(mine, theirs),
                    servers=(ours, server),
                    total=total,
                    rounds_count=scale.read_rounds,
                )
                results.append(_row(title, rates, workers))
                log(f"reads: {title} vs PostGraphile {results[-1].ratio:.2f}x requests/s")
    finally:
        stop(server.process)
    return results


def _row(title: str, rates: list[tuple[float, float]], workers: int) -> Result:
    ratios = [ours / theirs for ours, theirs in rates]
    middle = statistics.median(ratios)
    extra: dict[str, Any] = {"round_ratios": ratios}
    return Result(
        f"read.vs PostGraphile.{title}.c{CONCURRENCY}.requests/s",
        statistics.median(ours for ours, _ in rates),
        statistics.median(theirs for _, theirs in rates),
        middle,
        f">= {GOAL}x",
        middle >= GOAL,
        "req/s",
        f"rounds {min(ratios):.2f}-{max(ratios):.2f}x; {workers} processes each",
        extra,
    )
