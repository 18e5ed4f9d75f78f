"""`python -m benchmarks.profile <label>`: flame graphs of the API serving each benchmarked read.

Loads the quick world into the bench stores (or, with `--stores env`, those the environment
names, as `python -m benchmarks` does), starts the API alone
(one process, so one flame graph holds all its work) and, for each read at c=1 and c=16, records
it with py-spy while a closed loop sends that read: benchmarks/profiles/<label>/<read>-c<n>.svg.
`--read NAME` (repeatable) records only those reads (`--read Typename`: `{ __typename }`, the
fixed cost every request pays); `--collapsed` writes the folded stacks
(`<read>-c<n>.collapsed.gz`, for `python -m benchmarks.shares`) instead of flame graphs.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from benchmarks.env import bench_env, environment_env, settings_of
from benchmarks.scale import SCALES

if TYPE_CHECKING:
    from benchmarks.data import World

__all__ = ["main", "prepare_stores"]

PROFILES = Path(__file__).resolve().parent / "profiles"
REQUESTS = {1: 150, 16: 400}
TYPENAME = "Typename"  # `{ __typename }`: what every request costs before any field runs


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _record(pid: int, output: Path, log: Path) -> subprocess.Popen[bytes]:
    spy = Path(sys.executable).with_name("py-spy")
    kind = "raw" if output.suffix == ".collapsed" else "flamegraph"
    args = [str(spy), "record", "--pid", str(pid), "--output", str(output), "--rate", "200"]
    args += ["--subprocesses", "--nonblocking", "--format", kind]
    with log.open("ab") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)


def _finish(spy: subprocess.Popen[bytes], target: Path) -> None:
    spy.send_signal(signal.SIGINT)  # py-spy writes the flame graph on SIGINT
    spy.wait(timeout=60)
    if target.suffix == ".collapsed" and target.exists():
        with target.open("rb") as folded, gzip.open(f"{target}.gz", "wb") as packed:
            shutil.copyfileobj(folded, packed)
        target.unlink()


async def _profile_all(
    env: dict[str, str],
    output: Path,
    logs: Path,
    *,
    shared_graph: bool,
    names: list[str],
    suffix: str,
    times: int,
) -> None:
    from benchmarks.data import generate
    from benchmarks.documents import operation, trimmed
    from benchmarks.processes import spawn_server
    from benchmarks.reads import CLIENT_LIMITS, Fixture, Read, measure, reads
    from ops.processes import stop
    from schema.schema import build_schema

    settings = settings_of(env)
    world = generate(SCALES["quick"])
    prepare_stores(env, world, shared_graph=shared_graph)
    fixture = Fixture(world, settings)
    server = spawn_server("ours", logs / "ours.log", env)
    schema = build_schema(settings)._schema
    try:
        async with httpx.AsyncClient(timeout=60.0, limits=CLIENT_LIMITS) as c:
            chosen = [read for read in reads(fixture) if not names or read.name in names]
            if TYPENAME in names:
                chosen.append(Read(TYPENAME, TYPENAME, lambda _: {}, lambda _: ("", {}), 1.0))
            for read in chosen:
                if read.name == TYPENAME:
                    document = "{ __typename }"
                else:
                    document, _ = trimmed(operation(read.operation), schema)
                await measure(
                    c,
                    fixture=fixture,
                    read=read,
                    document=document,
                    server=server,
                    total=8,
                    concurrency=1,
                )  # warm up
                for concurrency, count in REQUESTS.items():
                    total = count * times
                    target = output / f"{read.name}-c{concurrency}{suffix}"
                    spy = _record(server.process.pid, target, logs / "py-spy.log")
                    samples = await measure(
                        c,
                        fixture=fixture,
                        read=read,
                        document=document,
                        server=server,
                        total=total,
                        concurrency=concurrency,
                    )
                    _finish(spy, target)
                    rate = total / samples.elapsed
                    _log(f"{target.name}: {rate:.0f} req/s, p50 {samples.p50_ms:.1f} ms")
    finally:
        stop(server.process)


def prepare_stores(env: dict[str, str], world: World, *, shared_graph: bool) -> None:
    """Load the world into the stores env names (on a shared graph, replacing only its nodes)."""
    from benchmarks.setup import prepare
    from persistence.graph.driver import make_sync_driver
    from persistence.sql.database import make_sync_engine, sync_session_factory

    settings = settings_of(env)
    engine = make_sync_engine(settings.database_url)
    driver = make_sync_driver(settings)
    try:
        sessions = sync_session_factory(engine)
        prepare(settings, engine, sessions, driver, world, shared_graph=shared_graph, log=_log)
    finally:
        driver.close()
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("label", help="the folder under benchmarks/profiles, e.g. before or after")
    parser.add_argument("--stores", choices=("bench", "env"), default="bench")
    parser.add_argument("--read", action="append", default=[], help="only this read (repeat)")
    parser.add_argument("--collapsed", action="store_true", help="folded stacks, not SVGs")
    parser.add_argument(
        "--times", type=int, default=1, help="send this many times the requests (more samples)"
    )
    arguments = parser.parse_args(argv)
    env = bench_env() if arguments.stores == "bench" else environment_env()
    os.environ.update(env)  # product modules read settings from the environment
    output = PROFILES / arguments.label
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lg-profile-") as logs:
        shared = arguments.stores == "env"  # someone else's graph: delete only our nodes
        suffix = ".collapsed" if arguments.collapsed else ".svg"
        asyncio.run(
            _profile_all(
                env,
                output,
                Path(logs),
                shared_graph=shared,
                names=arguments.read,
                suffix=suffix,
                times=arguments.times,
            )
        )


if __name__ == "__main__":
    main()
