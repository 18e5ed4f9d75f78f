"""The suites of one run, in order, each with the processes it needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import httpx
from neo4j import Driver
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.data import World
from benchmarks.processes import Server, ServerDiedError, spawn_server, spawn_worker
from benchmarks.results import Result
from benchmarks.scale import Scale
from config.settings import Settings
from ops.processes import stop

__all__ = ["guarded", "run_suites"]

Log = Callable[[str], None]


async def _reads(
    env: Mapping[str, str], settings: Settings, world: World, scale: Scale, logs: Path, log: Log
) -> list[Result]:
    from benchmarks.postgraphile import postgraphile_benchmarks
    from benchmarks.reads import Fixture, read_benchmarks
    from benchmarks.refusals import refusal_benchmarks

    servers: list[Server] = []
    try:  # the same number of processes for every server: one per CPU, as `learngraph serve`
        for name in ("ours", "direct", "naive"):
            servers.append(spawn_server(name, logs / f"{name}.log", env, workers=scale.processes))
        results = await read_benchmarks(servers, world, settings, scale, log)
        try:
            results += await refusal_benchmarks(servers[0], settings)
        except httpx.TransportError:
            servers[0].check_alive()
            raise
        for server in servers[1:]:  # their connections make room for PostGraphile's
            stop(server.process)
        fixture = Fixture(world, settings)
        try:
            return results + await postgraphile_benchmarks(
                servers[0],
                fixture,
                settings.database_url,
                settings.database_pool_size,
                logs,
                scale,
                log,
            )
        except ServerDiedError:
            raise
        except Exception as error:  # the reads measured so far still count
            return results + guarded("read.vs PostGraphile", error, log)
    finally:
        for server in servers:
            stop(server.process)


def _scale_out(
    env: Mapping[str, str],
    settings: Settings,
    sessions: sessionmaker[Session],
    world: World,
    scale: Scale,
    results: list[Result],
    logs: Path,
    log: Log,
) -> list[Result]:
    """The same converge with two worker processes, against the one-process figure."""
    from benchmarks.sync import scale_out_benchmark

    one = next((r.ours for r in results if r.name == "sync.converge vs one tx per event"), None)
    if one is None:
        return []
    workers = spawn_worker(logs / "workers-2.log", env, processes=2)
    try:
        return scale_out_benchmark(settings, sessions, world, scale.sync_changes, one, log)
    except Exception as error:
        return guarded("sync.scale-out", error, log)
    finally:
        stop(workers)


def guarded(suite: str, error: Exception, log: Log) -> list[Result]:
    """A suite that failed leaves a row saying so; the others still report.

    A Neo4j error is told apart: on a shared graph (the smoke test's) other runs may delete
    nodes under this one, which is not the harness rotting.
    """
    import neo4j.exceptions

    kind = "graph error" if isinstance(error, neo4j.exceptions.Neo4jError) else "failed"
    log(f"{suite}: {kind}: {type(error).__name__}: {error}")
    reason = f"{type(error).__name__}: {str(error)[:200]}"
    return [Result(f"{suite}.not run", None, None, None, "-", None, "-", f"{kind}: {reason}")]


async def run_suites(
    env: Mapping[str, str],
    settings: Settings,
    sessions: sessionmaker[Session],
    driver: Driver,
    world: World,
    scale: Scale,
    suites: list[str],
    logs: Path,
    log: Log,
) -> list[Result]:
    results: list[Result] = []
    if "reads" in suites:
        try:
            results += await _reads(env, settings, world, scale, logs, log)
        except ServerDiedError:
            raise  # the run itself is broken: stop loudly, naming the server
        except Exception as error:
            results += guarded("read", error, log)
    if "writes" in suites:
        from benchmarks.writes import write_benchmarks

        try:
            results += await write_benchmarks(world, settings, scale, log)
        except Exception as error:
            results += guarded("write", error, log)
    if {"sync", "lag"} & set(suites):
        from benchmarks.lag import lag_benchmark
        from benchmarks.sync import sync_benchmarks

        worker = spawn_worker(logs / "worker.log", env)
        try:
            if "sync" in suites:
                results += sync_benchmarks(
                    settings, sessions, driver, world, scale.sync_changes, log
                )
            if "lag" in suites:
                results += await lag_benchmark(world, settings, scale.lag_seconds, log)
        finally:
            stop(worker)
        if "sync" in suites:
            results += _scale_out(env, settings, sessions, world, scale, results, logs, log)
    if "backlog" in suites:
        from benchmarks.backlog import backlog_benchmark

        changes = min(len(world.progress), 4 * scale.sync_changes)
        try:
            results += await backlog_benchmark(env, settings, sessions, world, changes, logs, log)
        except Exception as error:
            results += guarded("backlog", error, log)
    if "reconcile" in suites:
        from benchmarks.reconciliation import reconcile_benchmarks

        results += reconcile_benchmarks(
            env, settings, sessions, driver, world, scale.reconcile_sizes, log
        )
    return results
