"""A batch's lookups of open events by id or entity stay index lookups however stale the
planner's statistics of open events are.

Open events come and go by the thousand between two ANALYZEs, so the statistics usually say
"no open event". With that estimate the planner once served a lookup of 500 keys by scanning
every open event (through the index of open events by seq) for each key: open events x keys,
half a second per batch with 4,500 open, seconds during a backlog drain.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from persistence.sql.database import sync_session_factory
from persistence.sync.apply import CLAIM, SIBLINGS
from persistence.sync.targets import uuid_array

if TYPE_CHECKING:
    import uuid

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import TextClause

OPEN_EVENTS = 3000
HISTORY = 50_000  # completed events: an outbox keeps every event
BY_SEQ = "ix_outbox_events_open_seq"

FILL = text(
    """
    INSERT INTO outbox_events (id, correlation_id, event_type, entity_type, entity_id, payload,
                               source_version, status, attempts)
    SELECT gen_random_uuid(), gen_random_uuid(), 'entity_updated', 'concept',
           'c' || n, '{}', 1, 'completed', 0
    FROM generate_series(1, :count) AS n
    """
)


def _indexes(plan: dict[str, Any]) -> list[str]:
    found = [plan["Index Name"]] if "Index Name" in plan else []
    for child in plan.get("Plans", ()):
        found += _indexes(child)
    return found


def _plan_indexes(session: Session, statement: TextClause, params: dict[str, Any]) -> list[str]:
    explained = session.execute(text("EXPLAIN (FORMAT JSON) " + statement.text), params)
    plan = explained.scalar_one()
    return _indexes((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])


def _open_events_after_stale_statistics(session: Session) -> list[tuple[uuid.UUID, str]]:
    """OPEN_EVENTS open events among HISTORY completed ones, which the statistics know nothing
    of (analyzed while all were completed)."""
    session.execute(FILL, {"count": HISTORY})
    session.execute(text("ANALYZE outbox_events"))
    rows = session.execute(
        text(
            "UPDATE outbox_events SET status = 'published' WHERE seq > :completed"
            " RETURNING id, entity_id"
        ),
        {"completed": HISTORY - OPEN_EVENTS},
    ).all()
    return [(row.id, row.entity_id) for row in rows]


def test_claim_finds_the_message_events_by_primary_key(engine: Engine) -> None:
    # given thousands of open events that the planner's statistics do not know of
    with sync_session_factory(engine).begin() as session:
        events = _open_events_after_stale_statistics(session)
        own = [event_id for event_id, _ in events[:200]]
        # when the claim of a message's 200 events is planned
        used = _plan_indexes(session, CLAIM, {"ids": uuid_array(own), "gather": 500})
        session.rollback()
    # then only the gather reads open events in seq order; the own and held ones by key
    assert used == ["pk_outbox_events", BY_SEQ, "pk_outbox_events", "pk_outbox_events"], used


def test_siblings_are_found_by_an_index_lookup_per_entity(engine: Engine) -> None:
    # given thousands of open events that the planner's statistics do not know of
    with sync_session_factory(engine).begin() as session:
        events = _open_events_after_stale_statistics(session)
        batch = events[:500]
        params = {
            "keys": json.dumps([{"t": "concept", "i": entity} for _, entity in batch]),
            "claimed": uuid_array(event_id for event_id, _ in batch),
        }
        # when the lookup of a batch's siblings is planned
        used = _plan_indexes(session, SIBLINGS, params)
        session.rollback()
    # then each key is looked up in the entity index
    assert used == ["ix_outbox_events_entity"]
