"""A unit of work's outbox rows and its COMMIT, sent together in one round trip.

psycopg's pipeline mode queues the outbox INSERT and the COMMIT and sends them with one sync,
so recording the events costs the write no round trip of its own: the change's statements,
then [outbox rows + COMMIT]. The rows are one statement whatever their number (a JSON
recordset), numbered `seq` in the order given; PostgreSQL draws their ids. If the INSERT fails, PostgreSQL skips the
COMMIT and the transaction stays open in error, for the caller to roll back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from psycopg.types.json import Jsonb
from sqlalchemy.engine.interfaces import AdaptedConnection

from domain.events import SyncEventStatus

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from psycopg import AsyncConnection
    from sqlalchemy.orm import Session

    from domain.events import ChangeEvent

__all__ = ["commit_with_outbox"]

INSERT_OUTBOX = f"""
INSERT INTO outbox_events (
    id, correlation_id, event_type, entity_type, entity_id, payload, source_version,
    status, attempts, trace_context, published_at, created_at, updated_at)
SELECT gen_random_uuid(), %(correlation_id)s, e.event_type, e.entity_type, e.entity_id, e.payload,
       e.source_version, CAST(%(status)s AS text), 0, %(trace_context)s,
       CASE WHEN CAST(%(status)s AS text) = '{SyncEventStatus.PUBLISHED}' THEN now() END, now(), now()
FROM jsonb_to_recordset(%(events)s)
     AS e(n integer, event_type text, entity_type text, entity_id text, payload jsonb,
          source_version integer)
ORDER BY e.n
RETURNING id, seq
"""  # noqa: S608 - statuses are the domain's constants; values are parameters


def _event(position: int, event: ChangeEvent) -> dict[str, Any]:
    return {
        "n": position,
        "event_type": event.event_type.value,
        "entity_type": event.entity_type.value,
        "entity_id": event.entity_id,
        "payload": event.payload,
        "source_version": event.source_version,
    }


def commit_with_outbox(
    session: Session,
    events: Sequence[ChangeEvent],
    *,
    correlation_id: uuid.UUID,
    status: str,
    trace_context: dict[str, str] | None,
) -> list[tuple[uuid.UUID, int]]:
    """Insert the events' outbox rows and commit the session's transaction in one round
    trip; returns each row's (id, seq) in the order of `events`. Call it from a synchronous
    Session running in SQLAlchemy's greenlet (`AsyncSession.run_sync`), after its flush."""
    rows = [_event(position, event) for position, event in enumerate(events)]
    params = {
        "correlation_id": correlation_id,
        "status": status,
        "trace_context": Jsonb(trace_context) if trace_context is not None else None,
        "events": Jsonb(rows, dumps=orjson.dumps),
    }
    adapted = session.connection().connection.dbapi_connection
    if not isinstance(adapted, AdaptedConnection):
        raise TypeError("the session's connection is not an asyncio driver's connection")
    written: list[tuple[uuid.UUID, int]] = adapted.run_async(
        lambda driver: _insert_and_commit(driver, params)
    )
    session.commit()  # nothing left to send: SQLAlchemy only ends its transaction
    return sorted(written, key=lambda row: row[1])  # seq follows the order of `events`


async def _insert_and_commit(
    driver: AsyncConnection[Any], params: dict[str, Any]
) -> list[tuple[uuid.UUID, int]]:
    cursor = driver.cursor()
    async with driver.pipeline():  # leaving it sends INSERT, COMMIT and one Sync together
        await cursor.execute(INSERT_OUTBOX, params)
        await driver.execute("COMMIT")  # driver.commit() would sync, and leaving again
    return await cursor.fetchall()
