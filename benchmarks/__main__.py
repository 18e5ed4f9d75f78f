"""`python -m benchmarks --scale quick|full|tiny`: build the data, run every comparison, report.

Runs against the bench profile's stores (`--stores bench`, the default) or against the stores
the environment names (`--stores env`, used by the smoke test). Writes the printed table and
<output>/latest.json (+ machine.json); `--only SUITE ...` replaces only those suites' rows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.env import bench_env, environment_env, settings_of
from benchmarks.results import Result, print_table, write_results
from benchmarks.scale import SCALES, Scale

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["main"]

SUITES = ("reads", "writes", "sync", "lag", "backlog", "reconcile")
RESULTS = Path(__file__).resolve().parent / "results"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--scale", choices=sorted(SCALES), default="quick")
    parser.add_argument("--stores", choices=("bench", "env"), default="bench")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--only", nargs="*", choices=SUITES, default=list(SUITES))
    parser.add_argument(
        "--shared-graph",
        action="store_true",
        help="delete only this run's nodes, never the whole graph",
    )
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    env: Mapping[str, str],
    scale: Scale,
    suites: list[str],
    *,
    shared_graph: bool,
    log: Callable[[str], None],
) -> list[Result]:
    # Product modules read settings from the environment (the broker at import): set it first.
    os.environ.update(env)
    from benchmarks.data import generate
    from benchmarks.suites import Run, run_suites
    from persistence.graph.driver import make_sync_driver
    from persistence.sql.database import make_sync_engine, sync_session_factory

    settings = settings_of(env)
    engine = make_sync_engine(settings.database_url)
    driver = make_sync_driver(settings)
    try:
        world = generate(scale)
        log(
            f"generated {scale.name}: {len(world.concepts)} concepts, {len(world.relations)} relations, {len(world.paths)} paths, {len(world.users)} users, {len(world.progress)} progress rows"
        )
        from benchmarks.setup import prepare

        sessions = sync_session_factory(engine)
        prepare(settings, engine, sessions, driver, world, shared_graph=shared_graph, log=log)
        kept = os.environ.get("LG_BENCH_LOGS")  # a directory to keep the servers' logs in
        with tempfile.TemporaryDirectory(prefix="lg-bench-") as logs:
            where = Path(kept or logs)
            where.mkdir(parents=True, exist_ok=True)
            shared = Run(env, settings, sessions, driver, world, scale, where, log)
            return asyncio.run(run_suites(shared, suites))
    finally:
        driver.close()
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    arguments = _arguments(argv)
    env = bench_env() if arguments.stores == "bench" else environment_env()
    scale = SCALES[arguments.scale]
    started = time.perf_counter()
    results = run(env, scale, arguments.only, shared_graph=arguments.shared_graph, log=_log)
    print_table(results)
    partial = None if set(arguments.only) == set(SUITES) else arguments.only
    path = write_results(results, arguments.output, scale=scale.name, suites=partial)
    _log(f"wrote {path} in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
