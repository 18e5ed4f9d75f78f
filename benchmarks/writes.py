"""Write latency: a progress update through our unit of work and outbox, against a plain
transaction with the same UPDATE, and against the dual write (PostgreSQL, then Neo4j, in the
request). In-process, one writer at a time, so each figure is the write path alone; a worker
runs meanwhile, as deployed (benchmarks/suites.py), starting the wake-ups our commits send.

The kinds take turns in short blocks (so a loaded machine's drift falls on all of them alike,
and the background enqueue of one of ours overlaps the next of ours, as it would), and each
block's process CPU time is noted too: CPU per write is what a loaded machine blurs least."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, cast, func, text, update

from benchmarks.results import Result
from benchmarks.timing import Samples, run_closed_loop
from domain.events import ChangeEvent, EntityType, EventType
from persistence.graph.driver import make_async_driver
from persistence.sql.database import async_session_factory, make_async_engine
from persistence.sql.models import ConceptProgress
from persistence.sql.unit_of_work import UnitOfWork
from persistence.sync.tracking import mirrored_rows

if TYPE_CHECKING:
    from neo4j import AsyncDriver, AsyncManagedTransaction
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from benchmarks.data import World
    from benchmarks.scale import Scale
    from config.settings import Settings

__all__ = ["BUMP", "write_benchmarks"]

BLOCK = 10  # writes of one kind in a row before the next kind's turn

BUMP = text(
    """
    UPDATE concept_progress
    SET progress_percent = mod(CAST(progress_percent AS integer) + 1, 100), version = version + 1,
        updated_at = now()
    WHERE user_id = :user AND concept_id = :concept
    RETURNING version, status, progress_percent, mastery_score, updated_at
    """
)

EDGE = """
MERGE (s:User {id: $user})
MERGE (t:Concept {id: $concept})
MERGE (s)-[r:HAS_PROGRESS]->(t)
SET r.status = $status, r.progress_percent = $percent, r.mastery = $mastery,
    r.updated_at = $updated_at, r.version = $version, r.id = $id
"""

Write = Callable[[int], Awaitable[float]]


def _orm_bump(params: dict[str, Any]) -> Any:
    """BUMP as the product writes it: an ORM UPDATE whose version and event the unit of work's
    bookkeeping adds."""
    progress = ConceptProgress.progress_percent
    return (
        update(ConceptProgress)
        .where(
            ConceptProgress.user_id == uuid.UUID(params["user"]),
            ConceptProgress.concept_id == uuid.UUID(params["concept"]),
        )
        .values(progress_percent=func.mod(cast(progress, Integer) + 1, 100), updated_at=func.now())
    )


def _keys(world: World, offset: int) -> Callable[[int], dict[str, Any]]:
    rows = world.progress[offset:] or world.progress

    def key(index: int) -> dict[str, Any]:
        row = rows[index % len(rows)]
        return {"user": str(row[0]), "concept": str(row[1])}

    return key


def _writers(
    sessions: async_sessionmaker[AsyncSession],
    driver: AsyncDriver,
    publish: Any,
    key: Callable[[int], dict[str, Any]],
) -> dict[str, Write]:
    async def ours(index: int) -> float:
        params = key(index)
        async with UnitOfWork(sessions, publish) as uow:
            version = (await uow.session.execute(BUMP, params)).one()[0]
            entity = f"{params['user']}:{params['concept']}"
            uow.record(
                ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT_PROGRESS, entity, version)
            )
            await uow.commit()
        return 0.0

    async def plain(index: int) -> float:
        async with sessions.begin() as session:
            await session.execute(BUMP, key(index))
        return 0.0

    async def dual(index: int) -> float:
        params = key(index)
        async with sessions.begin() as session:
            row = (await session.execute(BUMP, params)).one()

        async def edge(tx: AsyncManagedTransaction) -> None:
            await (
                await tx.run(
                    EDGE,
                    **params,
                    id=f"{params['user']}:{params['concept']}",
                    version=row[0],
                    status=row[1],
                    percent=row[2],
                    mastery=row[3],
                    updated_at=row[4].isoformat(),
                )
            ).consume()

        async with driver.session() as graph:
            await graph.execute_write(edge)
        return 0.0

    async def no_enqueue(index: int) -> float:
        params = key(index)
        async with UnitOfWork(sessions, _nothing) as uow:
            version = (await uow.session.execute(BUMP, params)).one()[0]
            entity = f"{params['user']}:{params['concept']}"
            uow.record(
                ChangeEvent(EventType.ENTITY_UPDATED, EntityType.CONCEPT_PROGRESS, entity, version)
            )
            await uow.commit()
        return 0.0

    async def tracked(index: int) -> float:
        async with UnitOfWork(sessions, publish, tracking=mirrored_rows()) as uow:
            await uow.session.execute(_orm_bump(key(index)))
            await uow.commit()
        return 0.0

    return {
        "ours": ours,
        "plain": plain,
        "dual": dual,
        "outbox_only": no_enqueue,
        "tracked": tracked,
    }


class _Nothing:
    """A publisher that hands nothing over: the outbox transaction alone (for the profile)."""

    def status_for_new_events(self) -> str:
        return "published"

    def publish_in_background(self, event_ids: Any, *, status: str) -> None:
        pass

    async def __call__(self, event_ids: Any) -> None:
        pass

    async def drain(self, seconds: float = 0.0) -> None:
        pass


_nothing = _Nothing()


async def _take_turns(
    writers: dict[str, Write], total: int
) -> tuple[dict[str, Samples], dict[str, float]]:
    """`total` writes of each kind, in alternating blocks; latency samples and CPU ms per write."""
    samples = {name: Samples() for name in writers}
    cpu = dict.fromkeys(writers, 0.0)
    for write in writers.values():  # warm up
        await run_closed_loop(write, total=5, concurrency=1)
    for start in range(0, total, BLOCK):
        for name, write in writers.items():
            before = time.process_time()
            samples[name].extend(
                await run_closed_loop(write, total=min(BLOCK, total - start), concurrency=1)
            )
            cpu[name] += time.process_time() - before
    return samples, {name: cpu[name] * 1000 / len(samples[name].seconds) for name in writers}


async def write_benchmarks(
    world: World, settings: Settings, scale: Scale, log: Callable[[str], None]
) -> list[Result]:
    from tasks.publish import OutboxPublisher

    engine = make_async_engine(settings.database_url)
    sessions = async_session_factory(engine)
    driver = make_async_driver(settings)
    publisher = OutboxPublisher(sessions)
    try:
        writers = _writers(sessions, driver, publisher, _keys(world, len(world.progress) // 2))
        samples, cpu = await _take_turns(writers, scale.write_requests)
    finally:
        await publisher.drain()
        await driver.close()
        await engine.dispose()
    ours, plain, dual, alone, tracked = (
        samples[name].p50_ms for name in ("ours", "plain", "dual", "outbox_only", "tracked")
    )
    log(
        f"writes: p50 ours {ours:.2f} ms, plain {plain:.2f} ms, dual {dual:.2f} ms, outbox without enqueue {alone:.2f} ms, through the bookkeeping {tracked:.2f} ms; CPU ms/write "
        + ", ".join(f"{name} {value:.3f}" for name, value in cpu.items())
    )
    extra = {
        "p99_ms": {name: s.p(0.99) for name, s in samples.items()},
        "p50_ms": {name: s.p50_ms for name, s in samples.items()},
        "cpu_ms_per_write": cpu,
    }
    note = (
        "ours = UPDATE + outbox row (written published) in one transaction; the wake-up "
        "(a Redis SET per send round, a message when none is pending) runs after the commit "
        "on the publisher's sender thread, off the caller's path; a worker runs meanwhile"
    )
    return [
        Result(
            "write.outbox vs plain insert.p50",
            ours,
            plain,
            ours / plain,
            "<= 1.3x",
            ours / plain <= 1.3,
            "ms",
            note,
            extra,
        ),
        Result(
            "write.outbox vs dual write.p50",
            ours,
            dual,
            ours / dual,
            "< 1x (faster)",
            ours < dual,
            "ms",
        ),
        Result(
            "write.outbox vs plain insert.CPU per write",
            cpu["ours"],
            cpu["plain"],
            cpu["ours"] / cpu["plain"],
            "-",
            None,
            "ms",
            "process CPU time per write (both threads of ours: the commit and its enqueue)",
        ),
        Result(
            "write.profile: through the bookkeeping vs plain",
            tracked,
            plain,
            tracked / plain,
            "-",
            None,
            "ms",
            "the same change as a mutation writes it: an ORM UPDATE whose version and outbox event the unit of work's bookkeeping adds",
        ),
        Result(
            "write.profile: outbox commit without enqueue vs plain",
            alone,
            plain,
            alone / plain,
            "-",
            None,
            "ms",
            "the outbox transaction with a publisher that sends nothing: ours minus the background enqueue's share of the event loop",
        ),
    ]
