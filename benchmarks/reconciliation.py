"""Reconciliation over two sizes: time (should grow about linearly) and peak memory (flat).

For each size, largest first, the concept-progress table is cut to that many rows (their graph
edges removed alike), 1% of the rest made stale, and one run is measured in its own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from benchmarks.results import Result, not_run
from benchmarks.setup import mirror_all
from domain.events import EntityType

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from benchmarks.data import World
    from config.settings import Settings

__all__ = ["reconcile_benchmarks"]

CUT = text(
    """
    DELETE FROM concept_progress p
    WHERE NOT EXISTS (SELECT 1 FROM unnest(CAST(:users AS uuid[]), CAST(:concepts AS uuid[])) AS k(u, c)
                      WHERE k.u = p.user_id AND k.c = p.concept_id)
    RETURNING p.user_id::text, p.concept_id::text
    """
)
STALE = text(
    """
    UPDATE concept_progress SET version = version + 1, progress_percent = 1
    WHERE (user_id, concept_id) IN (SELECT user_id, concept_id FROM concept_progress
                                   ORDER BY user_id, concept_id LIMIT :count)
    """
)
UNLINK = """
UNWIND $keys AS key
MATCH (:User {id: key[0]})-[r:HAS_PROGRESS]->(:Concept {id: key[1]})
DELETE r
"""


def _cut_to(
    sessions: sessionmaker[Session], driver: Driver, database: str, world: World, size: int
) -> None:
    keep = world.progress[:size]
    with sessions.begin() as session:
        gone = [
            list(row)
            for row in session.execute(
                CUT, {"users": [r[0] for r in keep], "concepts": [r[1] for r in keep]}
            ).all()
        ]
    for start in range(0, len(gone), 5_000):
        driver.execute_query(UNLINK, keys=gone[start : start + 5_000], database_=database)
    # earlier suites wrote some edges without the mirror's content hash: start from a synced graph
    kept = {EntityType.CONCEPT_PROGRESS: [f"{row[0]}:{row[1]}" for row in keep]}
    mirror_all(sessions, driver, database, kept)
    with sessions.begin() as session:
        session.execute(STALE, {"count": max(1, size // 100)})


def _probe(env: Mapping[str, str]) -> dict[str, Any]:
    import os

    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.reconcile_probe", "concept_progress"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def reconcile_benchmarks(
    env: Mapping[str, str],
    *,
    settings: Settings,
    sessions: sessionmaker[Session],
    driver: Driver,
    world: World,
    sizes: tuple[int, int],
    log: Callable[[str], None],
) -> list[Result]:
    try:
        import persistence.reconcile.engine  # noqa: F401
    except ImportError:
        reason = "reconciliation not available (persistence.reconcile.engine.reconcile)"
        return [
            not_run("reconcile.time per entity", "~linear", "ratio", reason),
            not_run("reconcile.peak Python memory", "flat", "MiB", reason),
        ]
    small, large = sorted(sizes)
    measured = {}
    for size in (large, small):
        _cut_to(sessions, driver, settings.neo4j_database, world, size)
        measured[size] = _probe(env)
        log(
            f"reconcile: {size} entities in {measured[size]['seconds']:.1f}s, peak growth {measured[size]['peak_growth_kib'] / 1024:.1f} MiB ({measured[size]['status']})"
        )
    per_small = measured[small]["seconds"] / small
    per_large = measured[large]["seconds"] / large
    growth = {size: max(m["peak_growth_kib"], 1) / 1024 for size, m in measured.items()}
    time_ratio = per_large / per_small
    memory_ratio = growth[large] / growth[small]
    extra = {str(size): m for size, m in measured.items()}
    note = f"concept_progress, {small} and {large} entities, 1% stale; ours = larger size, baseline = smaller"
    return [
        Result(
            "reconcile.seconds per 1k entities",
            per_large * 1000,
            per_small * 1000,
            time_ratio,
            "~linear (<= 1.5x)",
            time_ratio <= 1.5,
            "s",
            note,
            extra,
        ),
        Result(
            "reconcile.peak Python memory",
            growth[large],
            growth[small],
            memory_ratio,
            "flat (<= 1.5x)",
            memory_ratio <= 1.5,
            "MiB",
        ),
    ]
