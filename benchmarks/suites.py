"""The suites of one run, in order, each with the processes it needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from benchmarks.processes import Server, ServerDiedError, spawn_server, spawn_worker
from benchmarks.results import Result
from ops.processes import stop

if TYPE_CHECKING:
    from pathlib import Path

    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from benchmarks.data import World
    from benchmarks.scale import Scale
    from config.settings import Settings

__all__ = ["Run", "guarded", "run_suites"]

Log = Callable[[str], None]


async def _reads(
    env: Mapping[str, str], *, settings: Settings, world: World, scale: Scale, logs: Path, log: Log
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
                fixture=fixture,
                database_url=settings.database_url,
                pool=settings.database_pool_size,
                logs=logs,
                scale=scale,
                log=log,
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
    *,
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
        return scale_out_benchmark(
            settings,
            sessions=sessions,
            world=world,
            changes=scale.sync_changes,
            one_process_rate=one,
            log=log,
            worker_pid=workers.pid,
        )
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


@dataclass(frozen=True)
class Run:
    """What every suite of one run shares: the stores, the data, where logs go."""

    env: Mapping[str, str]
    settings: Settings
    sessions: sessionmaker[Session]
    driver: Driver
    world: World
    scale: Scale
    logs: Path
    log: Log


async def _read_suite(run: Run) -> list[Result]:
    try:
        return await _reads(
            run.env,
            settings=run.settings,
            world=run.world,
            scale=run.scale,
            logs=run.logs,
            log=run.log,
        )
    except ServerDiedError:
        raise  # the run itself is broken: stop loudly, naming the server
    except Exception as error:
        return guarded("read", error, run.log)


async def _write_suite(run: Run) -> list[Result]:
    """Writes with a worker running, as deployed: it starts the wake-ups our commits send
    (without one, a pending wake-up would never be started and commits would only ever find
    it pending), and applies their events while the writes go on."""
    from benchmarks.sync import warm_up
    from benchmarks.writes import write_benchmarks

    worker = spawn_worker(run.logs / "writes-worker.log", run.env)
    try:
        warm_up(run.sessions, [(row[0], row[1]) for row in run.world.progress])
        return await write_benchmarks(run.world, run.settings, run.scale, run.log)
    except Exception as error:
        return guarded("write", error, run.log)
    finally:
        stop(worker)


async def _sync_and_lag_suites(run: Run, suites: list[str]) -> list[Result]:
    from benchmarks.lag import lag_benchmark
    from benchmarks.sync import sync_benchmarks, warm_up

    results: list[Result] = []
    worker = spawn_worker(run.logs / "worker.log", run.env)
    try:
        if "sync" in suites:
            results += sync_benchmarks(
                run.settings,
                sessions=run.sessions,
                driver=run.driver,
                world=run.world,
                changes=run.scale.sync_changes,
                log=run.log,
                worker_pid=worker.pid,
            )
        if "lag" in suites:
            if "sync" not in suites:  # the worker must have booted before the clock starts
                warm_up(run.sessions, [(row[0], row[1]) for row in run.world.progress])
            results += await lag_benchmark(run.world, run.settings, run.scale.lag_seconds, run.log)
    finally:
        stop(worker)
    if "sync" in suites:
        results += _scale_out(
            run.env,
            settings=run.settings,
            sessions=run.sessions,
            world=run.world,
            scale=run.scale,
            results=results,
            logs=run.logs,
            log=run.log,
        )
    return results


async def _backlog_suite(run: Run) -> list[Result]:
    from benchmarks.backlog import backlog_benchmark

    changes = min(len(run.world.progress), 4 * run.scale.sync_changes)
    try:
        return await backlog_benchmark(
            run.env,
            settings=run.settings,
            sessions=run.sessions,
            world=run.world,
            changes=changes,
            logs=run.logs,
            log=run.log,
        )
    except Exception as error:
        return guarded("backlog", error, run.log)


async def _reconcile_suite(run: Run) -> list[Result]:
    from benchmarks.reconciliation import reconcile_benchmarks

    return reconcile_benchmarks(
        run.env,
        settings=run.settings,
        sessions=run.sessions,
        driver=run.driver,
        world=run.world,
        sizes=run.scale.reconcile_sizes,
        log=run.log,
    )


async def run_suites(run: Run, suites: list[str]) -> list[Result]:
    """The suites named in `suites`, in a fixed order; a failed suite is a row saying why."""
    results: list[Result] = []
    if "reads" in suites:
        results += await _read_suite(run)
    if "writes" in suites:
        results += await _write_suite(run)
    if {"sync", "lag"} & set(suites):
        results += await _sync_and_lag_suites(run, suites)
    if "backlog" in suites:
        results += await _backlog_suite(run)
    if "reconcile" in suites:
        results += await _reconcile_suite(run)
    return results
