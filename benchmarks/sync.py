"""Sync throughput: N progress changes converged by the real workers, against one Neo4j
transaction per event and against a raw UNWIND bulk load of the same final state."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import psycopg
from sqlalchemy import func, select, text

from benchmarks.processes import wait_until
from benchmarks.results import Result
from domain.events import ChangeEvent, EntityType, EventType
from persistence.sql.database import libpq_url
from persistence.sql.models import OutboxEvent
from persistence.sql.outbox import add_events
from persistence.sync.registry import default_registry

if TYPE_CHECKING:
    from collections.abc import Callable

    from neo4j import Driver
    from sqlalchemy.orm import Session, sessionmaker

    from benchmarks.cpu_sides import CpuSides
    from benchmarks.data import World
    from config.settings import Settings

__all__ = ["scale_out_benchmark", "sync_benchmarks"]

THREADS = 4  # as many as the worker process runs
CHUNK = 5_000
WARM_UP = 50
ROUNDS = 3

BUMP_ALL = text(
    """
    UPDATE concept_progress p
    SET progress_percent = mod(CAST(p.progress_percent AS integer) + 1, 100), version = p.version + 1,
        updated_at = now()
    FROM unnest(CAST(:users AS uuid[]), CAST(:concepts AS uuid[])) AS k(user_id, concept_id)
    WHERE p.user_id = k.user_id AND p.concept_id = k.concept_id
    RETURNING p.user_id, p.concept_id, p.version
    """
)

FINAL_STATE = """
SELECT p.user_id::text, p.concept_id::text, p.status, p.progress_percent, p.mastery_score,
       p.updated_at, p.version
FROM concept_progress p
JOIN unnest(%(users)s::uuid[], %(concepts)s::uuid[]) AS k(user_id, concept_id)
  ON p.user_id = k.user_id AND p.concept_id = k.concept_id
"""

UNWIND = """
UNWIND $rows AS row
MATCH (s:User {id: row[0]})
MATCH (t:Concept {id: row[1]})
MERGE (s)-[r:HAS_PROGRESS]->(t)
SET r.status = row[2], r.progress_percent = row[3], r.mastery = row[4],
    r.updated_at = row[5], r.version = row[6], r.id = row[0] + ':' + row[1]
"""


def _bump(
    sessions: sessionmaker[Session], keys: list[tuple[uuid.UUID, uuid.UUID]], *, outbox: bool
) -> uuid.UUID:
    correlation = uuid.uuid4()
    with sessions.begin() as session:
        rows = session.execute(
            BUMP_ALL, {"users": [k[0] for k in keys], "concepts": [k[1] for k in keys]}
        ).all()
        if outbox:
            events = [
                ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT_PROGRESS, f"{u}:{c}", v)
                for u, c, v in rows
            ]
            add_events(session, events, correlation_id=correlation)
    return correlation


def _completed(sessions: sessionmaker[Session], correlation: uuid.UUID) -> int:
    query = select(func.count()).where(
        OutboxEvent.correlation_id == correlation, OutboxEvent.status == "completed"
    )
    with sessions() as session:
        return int(session.scalar(query) or 0)


def _quiet_outbox(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Nothing else in flight: earlier suites' events closed, their messages dropped."""
    import redis

    with sessions.begin() as session:
        session.execute(
            text(
                "UPDATE outbox_events SET status = 'completed' WHERE status IN ('pending', 'published', 'failed')"
            )
        )
    client = redis.Redis.from_url(settings.redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def warm_up(sessions: sessionmaker[Session], keys: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """A few changes through the workers first, untimed: their processes have booted, imported
    and connected before the clock starts (on a loaded machine that alone takes seconds)."""
    converge_with_workers(sessions, keys[:WARM_UP], timeout=120.0)


def _hand_over(how: str, count: int) -> None:
    """The open events to the workers: one wake-up, as a commit's publisher sends it (the
    workers drain the outbox), or the relay's messages, as after an outage."""
    from tasks.relay import relay_once
    from tasks.sync import apply_outbox_events, wake_workers

    if how == "relay":
        relay_once(min_age_seconds=0, limit=count)
    elif not wake_workers([]):  # a wake-up of an earlier round still marked pending
        apply_outbox_events.send([])


def converge_with_workers(
    sessions: sessionmaker[Session],
    keys: list[tuple[uuid.UUID, uuid.UUID]],
    timeout: float,
    sides: CpuSides | None = None,
    hand_over: str = "wake-up",
) -> float:
    """Outbox rows in bulk, handed over (`_hand_over`), applied by the running worker (with
    `sides`, the CPU each side spent meanwhile is read too)."""
    correlation = _bump(sessions, keys, outbox=True)
    if sides is not None:
        sides.start()
    started = time.perf_counter()
    _hand_over(hand_over, len(keys))
    handed_over = time.perf_counter() - started
    done = wait_until(
        lambda: _completed(sessions, correlation) >= len(keys), timeout=timeout, interval=0.05
    )
    seconds = time.perf_counter() - started
    if sides is not None:
        sides.stop()
    if not done:
        raise TimeoutError(
            f"workers converged {_completed(sessions, correlation)} of {len(keys)} in {timeout:.0f}s"
        )
    if sides is not None:
        sides.spent["hand-over (wall s)"] = round(handed_over, 3)
    return seconds


def one_transaction_per_event(
    sessions: sessionmaker[Session],
    driver: Driver,
    database: str,
    keys: list[tuple[uuid.UUID, uuid.UUID]],
) -> float:
    """The product's mirror Cypher, one event per Neo4j transaction, on as many threads."""
    _bump(sessions, keys, outbox=False)
    mirror = default_registry()[EntityType.CONCEPT_PROGRESS]
    ids = [f"{u}:{c}" for u, c in keys]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        with sessions() as session:
            rows += mirror.snapshot(session, ids[start : start + CHUNK]).rows

    def apply(row: dict[str, Any]) -> None:
        with driver.session(database=database) as graph:
            graph.execute_write(mirror.write, [row])

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(apply, rows))
    return time.perf_counter() - started


def unwind_bulk_load(
    settings: Settings,
    sessions: sessionmaker[Session],
    driver: Driver,
    keys: list[tuple[uuid.UUID, uuid.UUID]],
) -> float:
    """Read the final state in one statement and write it with a bare UNWIND: the limit."""
    _bump(sessions, keys, outbox=False)
    started = time.perf_counter()
    with psycopg.connect(libpq_url(settings.database_url)) as connection:
        params = {"users": [k[0] for k in keys], "concepts": [k[1] for k in keys]}
        found = connection.execute(FINAL_STATE, params).fetchall()
    rows = [[*row[:5], row[5].isoformat(), row[6]] for row in found]
    with driver.session(database=settings.neo4j_database) as graph:
        for start in range(0, len(rows), CHUNK):
            graph.execute_write(
                lambda tx, chunk: tx.run(UNWIND, rows=chunk).consume(), rows[start : start + CHUNK]
            )
    return time.perf_counter() - started


def _sides_note(spent: dict[str, float] | None, seconds: float) -> str:
    """CPU seconds per side over the wall time, as cores kept busy."""
    if not spent:
        return ""
    sides = ("worker", "postgres", "neo4j", "others")
    handed_over = spent.get("hand-over (wall s)", 0.0)
    return (
        "; CPU cores busy (CPU s / wall s): "
        + ", ".join(f"{side} {spent[side] / seconds:.2f}" for side in sides)
        + f"; the hand-over took {handed_over * 1000:.0f} ms of {seconds * 1000:.0f}"
    )


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round whose converge rate is the median one."""
    return sorted(rounds, key=lambda found: found["rate"]["ours"])[len(rounds) // 2]


def _one_round(
    settings: Settings,
    sessions: sessionmaker[Session],
    driver: Driver,
    keys: list[tuple[uuid.UUID, uuid.UUID]],
    worker_pid: int | None,
) -> dict[str, Any]:
    """Ours (woken up, then by the relay), one transaction per event, UNWIND, in turn."""
    timeout = max(120.0, len(keys) / 10)
    sides = _sides(settings, worker_pid)
    ours = converge_with_workers(sessions, keys, timeout=timeout, sides=sides)
    relayed_sides = _sides(settings, worker_pid)
    relayed = converge_with_workers(
        sessions, keys, timeout=timeout, sides=relayed_sides, hand_over="relay"
    )
    per_event = one_transaction_per_event(sessions, driver, settings.neo4j_database, keys)
    unwind = unwind_bulk_load(settings, sessions, driver, keys)
    seconds = {"ours": ours, "relayed": relayed, "per_event": per_event, "unwind": unwind}
    return {
        "seconds": seconds,
        "rate": {name: len(keys) / taken for name, taken in seconds.items()},
        "cpu_seconds": sides.spent if sides is not None else None,
        "relayed_cpu_seconds": relayed_sides.spent if relayed_sides is not None else None,
    }


def _ratios(rounds: list[dict[str, Any]], baseline: str) -> list[float]:
    return [found["rate"]["ours"] / found["rate"][baseline] for found in rounds]


def _converge_result(
    name: str, rounds: list[dict[str, Any]], baseline: str, goal: float | None, note: str = ""
) -> Result:
    """ours vs the baseline: the median rates, and the median of the rounds' ratios."""
    ratios = _ratios(rounds, baseline)
    ratio = _median(ratios)
    spread = ", ".join(f"{value:.2f}" for value in ratios)
    return Result(
        name,
        _median([found["rate"]["ours"] for found in rounds]),
        _median([found["rate"][baseline] for found in rounds]),
        ratio,
        f">= {goal:g}x" if goal else "-",
        ratio >= goal if goal else None,
        "events/s",
        f"{note}median of {len(rounds)} rounds' ratios ({spread})",
        {"rounds": rounds} if baseline == "per_event" else {},
    )


def sync_benchmarks(
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    driver: Driver,
    world: World,
    changes: int,
    log: Callable[[str], None],
    worker_pid: int | None = None,
) -> list[Result]:
    """ROUNDS rounds, the ways taking turns in each; medians are reported."""
    from tasks.relay import BATCH_SIZE

    keys = [(row[0], row[1]) for row in world.progress[:changes]]
    count = len(keys)
    _quiet_outbox(settings, sessions)
    warm_up(sessions, keys)
    rounds = []
    for _ in range(ROUNDS):
        found = _one_round(settings, sessions, driver, keys, worker_pid)
        rate, seconds = found["rate"], found["seconds"]
        log(
            f"sync: {count} changes at {rate['ours']:.0f}/s (by the relay {rate['relayed']:.0f}/s);"
            f" one tx per event {rate['per_event']:.0f}/s; UNWIND {rate['unwind']:.0f}/s"
            f"{_sides_note(found['cpu_seconds'], seconds['ours'])}"
        )
        rounds.append(found)
    median = _median_round(rounds)
    note = (
        f"{count} concept-progress changes committed in one transaction, then one wake-up (as"
        f" a commit's publisher sends it); 1 worker process x {THREADS} threads drains the"
        f" outbox{_sides_note(median['cpu_seconds'], median['seconds']['ours'])}"
    )
    relayed = (
        f"ours woken up vs the same changes sent by the relay (messages of {BATCH_SIZE} events,"
        " as after an outage)"
        f"{_sides_note(median['relayed_cpu_seconds'], median['seconds']['relayed'])}; "
    )
    return [
        _converge_result("sync.converge vs one tx per event", rounds, "per_event", 10, f"{note}; "),
        _converge_result("sync.converge vs UNWIND bulk load", rounds, "unwind", 0.5),
        _converge_result(
            "sync.converge woken up vs handed over by the relay", rounds, "relayed", None, relayed
        ),
    ]


def _sides(settings: Settings, worker_pid: int | None) -> CpuSides | None:
    from benchmarks.cpu_sides import cpu_sides

    if worker_pid is None:
        return None
    return cpu_sides(worker_pid, neo4j_uri=settings.neo4j_uri, database_url=settings.database_url)


def scale_out_benchmark(
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    world: World,
    changes: int,
    one_process_rate: float,
    log: Callable[[str], None],
    worker_pid: int | None = None,
) -> list[Result]:
    """Converge the same number of changes with a `--processes 2` worker command (median of
    ROUNDS rounds)."""
    keys = [(row[0], row[1]) for row in world.progress[:changes]]
    _quiet_outbox(settings, sessions)
    warm_up(sessions, keys)
    rounds = []
    for _ in range(ROUNDS):
        sides = _sides(settings, worker_pid)
        seconds = converge_with_workers(
            sessions, keys, timeout=max(120.0, len(keys) / 10), sides=sides
        )
        spent = sides.spent if sides is not None else None
        rounds.append({"seconds": seconds, "rate": {"ours": len(keys) / seconds}, "cpu": spent})
        log(
            f"sync: {len(keys)} changes with 2 worker processes at {len(keys) / seconds:.0f}/s"
            f"{_sides_note(spent, seconds)}"
        )
    median = _median_round(rounds)
    rate = median["rate"]["ours"]
    ratio = rate / one_process_rate
    note = (
        f"2 processes x {THREADS} threads vs 1 process x {THREADS} threads, {len(keys)} changes,"
        f" median of {ROUNDS} rounds{_sides_note(median['cpu'], median['seconds'])}"
    )
    return [
        Result(
            "sync.converge 2 worker processes vs 1",
            rate,
            one_process_rate,
            ratio,
            ">= 1.3x",
            ratio >= 1.3,
            "events/s",
            note,
        )
    ]
