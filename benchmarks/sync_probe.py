"""Where a sync batch spends its time: one process applies N progress changes, profiled.

`python -m benchmarks.sync_probe [N] [GATHER]` against the bench stores (after a benchmark run
has loaded them; take /tmp/lg-bench.lock). It writes N concept-progress changes with their
outbox events, then applies them in-process with the workers' own apply code, one thread,
batches of GATHER events, under cProfile, and prints the cumulative seconds of each step of
a batch next to the graph's own time, and a bare UNWIND of the same rows for scale.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time

__all__ = ["main"]

STEPS = (
    "apply_events",
    "_claim",
    "_gather",
    "_lock_entities",
    "_claim_siblings",
    "snapshot",
    "execute_write",
    "_complete",
    "commit",
)


def _cumulative(stats: pstats.Stats) -> dict[str, float]:
    found: dict[str, float] = {}
    table = stats.stats  # type: ignore[attr-defined]
    for (_, _, name), (_, _, _, cumulative, _) in table.items():
        if name in STEPS:
            found[name] = found.get(name, 0.0) + cumulative
    return found


def main() -> None:
    from benchmarks.env import bench_env

    os.environ.update(bench_env())
    from sqlalchemy import select

    from benchmarks.sync import _bump
    from config.settings import get_settings
    from persistence.graph.driver import make_sync_driver
    from persistence.sql.database import make_sync_engine, sync_session_factory
    from persistence.sql.migrate import upgrade_to_head
    from persistence.sql.models import ConceptProgress, OutboxEvent
    from persistence.sync.apply import apply_events
    from persistence.sync.registry import default_registry

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    gather = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    settings = get_settings()
    upgrade_to_head(settings.database_url)
    sessions = sync_session_factory(make_sync_engine(settings.database_url))
    driver = make_sync_driver(settings)
    registry = default_registry()
    with sessions() as session:
        keys = [
            tuple(row)
            for row in session.execute(
                select(ConceptProgress.user_id, ConceptProgress.concept_id).limit(count)
            )
        ]
    correlation = _bump(sessions, keys, outbox=True)  # type: ignore[arg-type]
    with sessions() as session:
        ids = list(
            session.scalars(
                select(OutboxEvent.id)
                .where(OutboxEvent.correlation_id == correlation)
                .order_by(OutboxEvent.seq)
            )
        )
    profile = cProfile.Profile()
    started = time.perf_counter()
    batches = 0
    profile.enable()
    for start in range(0, len(ids), gather):
        apply_events(
            sessions,
            driver,
            database=settings.neo4j_database,
            registry=registry,
            event_ids=ids[start : start + gather],
        )
        batches += 1
    profile.disable()
    seconds = time.perf_counter() - started
    steps = _cumulative(pstats.Stats(profile))
    print(f"{len(ids)} events in {batches} batches: {seconds:.2f}s ({len(ids) / seconds:.0f}/s)")
    for name in STEPS:
        print(f"  {name:<18} {steps.get(name, 0.0):7.2f}s")
    pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
