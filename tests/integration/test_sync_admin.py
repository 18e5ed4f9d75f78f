"""Operators watch the sync (SyncStatus, SyncEvents) and retry dead events (mutation and CLI)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner
from sqlalchemy import Engine, text

from cli.main import cli
from tests.support.contract import operation
from tests.support.learners import PASSWORD, count, make_concept, make_user, scalar
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq
    from neo4j import Driver

    from config.settings import Settings
    from tests.support.api import Api

SYNC_STATUS = operation("SyncStatus")

SYNC_EVENTS = operation("SyncEvents")

RETRY = operation("RetrySyncEvents")

INSERT_EVENT = text(
    """
    INSERT INTO outbox_events (id, correlation_id, event_type, entity_type, entity_id, payload,
        source_version, status, attempts, last_error, created_at, completed_at, updated_at)
    VALUES (:id, :id, :event_type, :entity_type, :entity_id, '{}', 1, :status, :attempts,
        :last_error, now() - make_interval(secs => :age), :completed_at, now())
    """
)


def add_event(
    engine: Engine,
    status: str,
    *,
    entity_type: str = "concept",
    entity_id: str | None = None,
    age: float = 0.0,
    completed_at: datetime | None = None,
) -> str:
    """An outbox event in the given status, written `age` seconds ago."""
    event_id = uuid.uuid4()
    failing = status in ("failed", "dead")
    with engine.begin() as connection:
        connection.execute(
            INSERT_EVENT,
            {
                "id": event_id,
                "event_type": "entity_created",
                "entity_type": entity_type,
                "entity_id": entity_id or str(uuid.uuid4()),
                "status": status,
                "attempts": 8 if status == "dead" else 2 if failing else 0,
                "last_error": "ServiceUnavailable: graph down" if failing else None,
                "age": age,
                "completed_at": completed_at,
            },
        )
    return str(event_id)


def empty_outbox(engine: Engine) -> None:
    """The bootstrap admin's own event aside, so the figures are the test's alone."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_events"))


def status_of(engine: Engine, event_id: str) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, attempts, last_error FROM outbox_events WHERE id = :id"),
            {"id": event_id},
        ).one()
    return dict(row._mapping)


def graph_has_concept(graph: Driver, settings: Settings, concept_id: uuid.UUID) -> bool:
    records, _, _ = graph.execute_query(
        "MATCH (c:Concept {id: $id}) RETURN count(c) AS n",
        id=str(concept_id),
        database_=settings.neo4j_database,
    )
    return bool(records[0]["n"])


async def test_sync_status_counts_events_by_status_and_entity_type(
    api: Api, engine: Engine
) -> None:
    # given events in every status, of two entity types, written at different times
    empty_outbox(engine)
    applied_at = scalar(engine, "SELECT now() - interval '5 seconds'")
    add_event(engine, "completed", age=900, completed_at=applied_at)
    add_event(engine, "completed", entity_type="user", age=800)
    add_event(engine, "dead", age=600)
    add_event(engine, "pending", age=300)
    add_event(engine, "published", entity_type="user", age=10)
    add_event(engine, "failed", age=120)
    add_event(engine, "failed", entity_type="user", age=60)
    await api.sign_in("admin", "admin-password")
    # when an admin reads the sync status
    status = (await api.data(SYNC_STATUS))["syncStatus"]
    # then each status is counted, and open work is split by entity type
    counts = {key: status[key] for key in ("pending", "published", "completed", "failed", "dead")}
    assert counts == {"pending": 1, "published": 1, "completed": 2, "failed": 2, "dead": 1}
    assert status["byEntityType"] == [
        {"entityType": "concept", "pending": 1, "failed": 1, "dead": 1},
        {"entityType": "user", "pending": 1, "failed": 1, "dead": 0},
    ]
    # and the oldest open event is the pending one, while the lag counts the dead one too
    assert 300 <= status["oldestPendingAgeSeconds"] < 330
    assert 600 <= status["lagSeconds"] < 630
    assert datetime.fromisoformat(status["lastAppliedAt"]) == applied_at
    assert status["graphAvailable"] is True


async def test_sync_status_of_an_empty_outbox_is_all_zero(api: Api, engine: Engine) -> None:
    empty_outbox(engine)
    await api.sign_in("admin", "admin-password")
    status = (await api.data(SYNC_STATUS))["syncStatus"]
    assert (status["pending"], status["dead"], status["lagSeconds"]) == (0, 0, 0)
    assert (status["lastAppliedAt"], status["byEntityType"]) == (None, [])


async def test_sync_events_lists_newest_first_filtered_by_status_in_pages(
    api: Api, engine: Engine
) -> None:
    # given three dead events and a completed one
    empty_outbox(engine)
    dead = [add_event(engine, "dead") for _ in range(3)]
    add_event(engine, "completed")
    await api.sign_in("admin", "admin-password")
    # when an admin lists dead events two at a time
    first = (await api.data(SYNC_EVENTS, {"status": "DEAD", "first": 2}))["syncEvents"]
    after = first["pageInfo"]["endCursor"]
    rest = await api.data(SYNC_EVENTS, {"status": "DEAD", "first": 2, "after": after})
    # then the newest come first, the filter holds, and the pages join up
    nodes = [edge["node"] for edge in first["edges"] + rest["syncEvents"]["edges"]]
    assert [node["id"] for node in nodes] == list(reversed(dead))
    assert first["totalCount"] == 3
    assert (first["pageInfo"]["hasNextPage"], rest["syncEvents"]["pageInfo"]["hasNextPage"]) == (
        True,
        False,
    )
    assert {(n["status"], n["attempts"], n["lastError"]) for n in nodes} == {
        ("DEAD", 8, "ServiceUnavailable: graph down")
    }
    everything = (await api.data(SYNC_EVENTS, {}))["syncEvents"]
    assert everything["totalCount"] == 4


async def test_only_admins_see_sync_internals_or_retry_events(api: Api, engine: Engine) -> None:
    # given a dead event, and a student
    dead = add_event(engine, "dead")
    make_user(engine, "ada")
    for who, code in ((None, "UNAUTHENTICATED"), ("ada", "FORBIDDEN")):
        api.token = None
        if who:
            await api.sign_in(who, PASSWORD)
        # when they read the sync status or the events, or retry
        for query in (SYNC_STATUS, SYNC_EVENTS):
            body = await api.send(query)
            # then they get an error with the code, and no figures
            assert [error["extensions"]["code"] for error in body["errors"]] == [code]
            assert set(body["data"].values()) == {None}
        payload = (await api.data(RETRY))["retrySyncEvents"]
        assert (payload["retried"], [e["code"] for e in payload["errors"]]) == (0, [code])
    # and nothing was retried
    assert status_of(engine, dead)["status"] == "dead"


async def test_a_dead_event_retried_by_an_admin_is_applied_to_the_graph(
    api: Api, engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a concept whose only event died
    concept_id = make_concept(engine, "graphs")
    dead = add_event(engine, "dead", entity_id=str(concept_id))
    await api.sign_in("admin", "admin-password")
    # when the admin retries every dead event
    payload = (await api.data(RETRY))["retrySyncEvents"]
    # then that one is retried, the worker completes it and the concept reaches the graph
    assert payload == {"retried": 1, "errors": []}
    # (the graph first: the shared test graph is wiped by concurrent runs, so look at once)
    eventually(lambda: graph_has_concept(graph, settings, concept_id), interval=0.02)
    eventually(lambda: status_of(engine, dead)["status"] == "completed")
    assert status_of(engine, dead) == {"status": "completed", "attempts": 1, "last_error": None}


async def test_retrying_by_id_resets_only_failed_or_dead_events(api: Api, engine: Engine) -> None:
    # given a failed, a dead and a completed event
    failed, dead, completed = (add_event(engine, s) for s in ("failed", "dead", "completed"))
    await api.sign_in("admin", "admin-password")
    # when the admin retries the failed and the completed one by id
    payload = (await api.data(RETRY, {"ids": [failed, completed]}))["retrySyncEvents"]
    # then only the failed one starts again, handed to the broker; the others are untouched
    assert payload == {"retried": 1, "errors": []}
    assert status_of(engine, failed) == {"status": "published", "attempts": 0, "last_error": None}
    assert status_of(engine, completed)["status"] == "completed"
    assert status_of(engine, dead)["status"] == "dead"


async def test_retrying_an_unknown_event_id_is_refused_and_changes_nothing(
    api: Api, engine: Engine
) -> None:
    # given a dead event
    dead = add_event(engine, "dead")
    await api.sign_in("admin", "admin-password")
    # when the admin retries it together with an id no event has, or with a malformed id
    unknown = (await api.data(RETRY, {"ids": [dead, str(uuid.uuid4())]}))["retrySyncEvents"]
    malformed = (await api.data(RETRY, {"ids": ["not-an-id"]}))["retrySyncEvents"]
    # then both are refused, naming the ids, and the dead event stays dead
    assert (unknown["retried"], [(e["field"], e["code"]) for e in unknown["errors"]]) == (
        0,
        [("ids", "NOT_FOUND")],
    )
    assert [(e["field"], e["code"]) for e in malformed["errors"]] == [("ids", "VALIDATION")]
    assert status_of(engine, dead) == {
        "status": "dead",
        "attempts": 8,
        "last_error": "ServiceUnavailable: graph down",
    }


def test_the_cli_retries_dead_events_and_prints_the_sync_status(
    engine: Engine, graph: Driver, settings: Settings, worker: dramatiq.Worker
) -> None:
    # given a concept whose only event died
    concept_id = make_concept(engine, "graphs")
    dead = add_event(engine, "dead", entity_id=str(concept_id))
    runner = CliRunner()
    # when the operator looks at the status
    before = runner.invoke(cli, ["sync", "status"])
    # then the dead event shows, in the totals and under its entity type
    assert before.exit_code == 0, before.output
    rows = {line.split()[0]: line.split()[1:] for line in before.output.splitlines() if line}
    assert rows["dead"] == ["1"]
    assert rows["concept"] == ["0", "0", "1"]
    # when they retry dead events
    retried = runner.invoke(cli, ["sync", "retry-dead"])
    # then it is retried and applied
    assert (retried.exit_code, retried.output) == (0, "retried 1 event\n")
    eventually(lambda: graph_has_concept(graph, settings, concept_id), interval=0.02)
    eventually(lambda: status_of(engine, dead)["status"] == "completed")


def test_the_cli_refuses_an_unknown_event_id(engine: Engine) -> None:
    dead = add_event(engine, "dead")
    result = CliRunner().invoke(cli, ["sync", "retry-dead", "--id", str(uuid.uuid4())])
    assert result.exit_code == 1
    assert "no sync event with id" in result.output
    assert status_of(engine, dead)["status"] == "dead"
    assert count(engine, "outbox_events", "status = 'pending'") == 0
