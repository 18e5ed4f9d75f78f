"""A graph entity edited outside the sync is a conflict, resolved by the configured strategy.

Runs are limited to the test's own ids: the test graph is shared with other runs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import anyio
import pytest
from sqlalchemy import Engine, func, insert, select, update

from domain.events import EntityType
from persistence.reconcile.engine import reconcile
from persistence.sql.models import Concept, ReconciliationRun, SyncConflict
from tests.support.contract import operation
from tests.support.learners import PASSWORD, make_concept, make_user
from tests.support.mirroring import World, concept, key

if TYPE_CHECKING:
    import dramatiq

    from config.settings import Settings
    from persistence.reconcile.tally import RunSummary
    from tests.support.api import Api

RUN_RECONCILIATION = operation("RunReconciliation")
RECONCILIATION_RUNS = operation("ReconciliationRuns")
SYNC_CONFLICTS = operation("SyncConflicts")
RESOLVE_CONFLICT = operation("ResolveConflict")


@pytest.fixture
def edited(world: World) -> str:
    """Given a synced concept whose display name was then changed in the graph directly."""
    row = concept("graphs")
    world.add(row)
    world.apply(key(EntityType.CONCEPT, row.id))
    world.query("MATCH (c:Concept {id: $id}) SET c.display_name = 'Edited'", id=str(row.id))
    return str(row.id)


def run(world: World, settings: Settings, entity_id: str, strategy: str) -> RunSummary:
    chosen = settings.model_copy(update={"conflict_strategy": strategy})
    return reconcile(
        world.sessions,
        world.graph,
        settings=chosen,
        entity_types=["concept"],
        entity_ids=[entity_id],
    )


def sql_concept(world: World, entity_id: str) -> Concept:
    with world.sessions() as session:
        return session.get_one(Concept, uuid.UUID(entity_id))


def graph_name(world: World, entity_id: str) -> str:
    [node] = world.query("MATCH (c:Concept {id: $id}) RETURN c.display_name AS d", id=entity_id)
    return str(node["d"])


def conflicts(world: World) -> list[SyncConflict]:
    with world.sessions() as session:
        return list(session.scalars(select(SyncConflict)).all())


def assert_clean(world: World, settings: Settings, entity_id: str) -> None:
    totals = run(world, settings, entity_id, "source_wins").totals
    assert (totals.missing, totals.stale, totals.conflicts) == (0, 0, 0)


def test_source_wins_writes_postgresql_back_to_the_graph(
    world: World, settings: Settings, edited: str
) -> None:
    # when a run resolves with SOURCE_WINS
    summary = run(world, settings, edited, "source_wins")
    # then the graph has PostgreSQL's value and the conflict is closed
    assert (summary.totals.conflicts, summary.totals.repaired) == (1, 1)
    assert graph_name(world, edited) == "Graphs"
    [conflict] = conflicts(world)
    assert conflict.resolution == "source_wins"
    assert_clean(world, settings, edited)


def test_target_wins_writes_the_graphs_values_into_postgresql(
    world: World, settings: Settings, edited: str
) -> None:
    # when a run resolves with TARGET_WINS
    run(world, settings, edited, "target_wins")
    # then PostgreSQL took the graph's value with a version bump, and the graph follows
    row = sql_concept(world, edited)
    assert (row.display_name, row.version) == ("Edited", 2)
    assert graph_name(world, edited) == "Edited"
    [version] = world.query("MATCH (c:Concept {id: $id}) RETURN c.version AS v", id=edited)
    assert version["v"] == 2
    assert conflicts(world)[0].resolution == "target_wins"
    assert_clean(world, settings, edited)


def test_last_write_wins_takes_the_graph_when_postgresql_did_not_change_since_the_sync(
    world: World, settings: Settings, edited: str
) -> None:
    # when a run resolves with LAST_WRITE_WINS (the graph edit came after the last sync)
    run(world, settings, edited, "last_write_wins")
    # then the graph's value won
    assert sql_concept(world, edited).display_name == "Edited"
    assert graph_name(world, edited) == "Edited"


def test_last_write_wins_takes_postgresql_when_it_changed_after_the_sync(
    world: World, settings: Settings, edited: str
) -> None:
    # given the SQL row touched after the last sync
    later = datetime.now(UTC) + timedelta(minutes=5)
    world.execute(update(Concept).where(Concept.id == uuid.UUID(edited)).values(updated_at=later))
    # when a run resolves with LAST_WRITE_WINS
    run(world, settings, edited, "last_write_wins")
    # then PostgreSQL's value won
    assert graph_name(world, edited) == "Graphs"
    assert sql_concept(world, edited).display_name == "Graphs"


def test_manual_review_leaves_the_conflict_open_and_the_graph_as_it_is(
    world: World, settings: Settings, edited: str
) -> None:
    # when two runs find the conflict under MANUAL_REVIEW
    first = run(world, settings, edited, "manual_review")
    second = run(world, settings, edited, "manual_review")
    # then one open conflict holds it, and nothing was written
    assert (first.totals.conflicts, second.totals.conflicts) == (1, 1)
    assert first.totals.repaired == 0
    [conflict] = conflicts(world)
    assert conflict.resolved_at is None
    assert graph_name(world, edited) == "Edited"
    assert sql_concept(world, edited).version == 1


def test_merge_takes_a_field_only_the_graph_changed_from_the_graph(
    world: World, settings: Settings, edited: str
) -> None:
    # given PostgreSQL unchanged since the sync, the graph also changed nothing else
    # when a run resolves with MERGE
    run(world, settings, edited, "merge")
    # then the graph's change was kept, in PostgreSQL too
    assert sql_concept(world, edited).display_name == "Edited"
    assert graph_name(world, edited) == "Edited"
    assert_clean(world, settings, edited)


def test_merge_keeps_postgresql_when_it_moved_since_the_sync(
    world: World, settings: Settings, edited: str
) -> None:
    # given PostgreSQL changed after the sync (not yet synced): the base is no longer known
    world.execute(
        update(Concept)
        .where(Concept.id == uuid.UUID(edited))
        .values(description="newer", version=Concept.version + 1)
    )
    # when a run resolves with MERGE
    run(world, settings, edited, "merge")
    # then every differing field keeps PostgreSQL's value
    row = sql_concept(world, edited)
    assert (row.display_name, row.description) == ("Graphs", "newer")
    assert graph_name(world, edited) == "Graphs"


async def admin(api: Api) -> Api:
    await api.sign_in("admin", "admin-password")
    return api


async def test_an_admin_starts_a_run_and_sees_it_finish(
    api: Api, engine: Engine, worker: dramatiq.Worker
) -> None:
    # given a concept PostgreSQL has and the graph lacks (never synced)
    make_concept(engine, "unsynced")
    await admin(api)
    # when an admin starts a report-only run over concepts
    started = await api.data(RUN_RECONCILIATION, {"entityTypes": ["concept"], "repair": False})
    payload = started["runReconciliation"]
    # then it is running at once, and later listed as completed with the concept missing
    assert payload["errors"] == []
    assert payload["run"]["status"] == "RUNNING"
    run_id = payload["run"]["id"]

    node = await finished_run(api, run_id)
    assert node["missingInGraph"] >= 1
    assert node["finishedAt"] is not None


async def finished_run(api: Api, run_id: str) -> dict[str, Any]:
    """The run as listed once it is no longer running (within 20 seconds)."""
    with anyio.fail_after(20):
        while True:
            runs = (await api.data(RECONCILIATION_RUNS, {"first": 5}))["reconciliationRuns"]
            [node] = [edge["node"] for edge in runs["edges"] if edge["node"]["id"] == run_id]
            if node["status"] != "RUNNING":
                return dict(node)
            await anyio.sleep(0.2)


async def test_runs_are_listed_newest_first(api: Api, engine: Engine) -> None:
    # given two recorded runs
    with engine.begin() as connection:
        for hours in (2, 1):
            connection.execute(
                insert(ReconciliationRun).values(
                    id=uuid.uuid4(),
                    status="completed",
                    repair=True,
                    errors=[],
                    started_at=func.now() - timedelta(hours=hours),
                )
            )
    await admin(api)
    # when an admin lists them
    runs = (await api.data(RECONCILIATION_RUNS, {"first": 10}))["reconciliationRuns"]["edges"]
    # then the newest comes first
    started = [edge["node"]["startedAt"] for edge in runs]
    assert started == sorted(started, reverse=True)
    assert len(started) == 2


async def test_an_unknown_entity_type_is_refused_and_no_run_recorded(
    api: Api, engine: Engine
) -> None:
    await admin(api)
    # when a run names a type nothing mirrors
    payload = (await api.data(RUN_RECONCILIATION, {"entityTypes": ["concept", "quiz"]}))[
        "runReconciliation"
    ]
    # then the error names entityTypes and nothing is written
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("entityTypes", "VALIDATION")]
    assert "quiz" in payload["errors"][0]["message"]
    assert payload["run"] is None
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReconciliationRun)) == 0


async def test_a_student_may_not_run_reconciliation_nor_see_or_resolve_conflicts(
    api: Api, engine: Engine
) -> None:
    # given a signed-in student
    make_user(engine, "stu")
    await api.sign_in("stu", PASSWORD)
    # when the student tries each operation
    started = (await api.data(RUN_RECONCILIATION, {}))["runReconciliation"]
    resolved = (
        await api.data(RESOLVE_CONFLICT, {"id": str(uuid.uuid4()), "strategy": "SOURCE_WINS"})
    )["resolveConflict"]
    listed = await api.send(SYNC_CONFLICTS, {})
    runs = await api.send(RECONCILIATION_RUNS, {})
    # then each is refused and no run is recorded
    assert [e["code"] for e in started["errors"]] == ["FORBIDDEN"]
    assert [e["code"] for e in resolved["errors"]] == ["FORBIDDEN"]
    assert listed["data"]["syncConflicts"] is None
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert runs["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReconciliationRun)) == 0


async def test_an_admin_lists_and_resolves_a_conflict(
    api: Api, world: World, settings: Settings, edited: str
) -> None:
    # given the edit recorded as an open conflict (MANUAL_REVIEW)
    run(world, settings, edited, "manual_review")
    await admin(api)
    # when an admin lists the open conflicts
    listed = (await api.data(SYNC_CONFLICTS, {"resolved": False, "first": 10}))["syncConflicts"]
    [node] = [edge["node"] for edge in listed["edges"]]
    # then the conflict shows both sides and versions
    assert (node["entityType"], node["entityId"]) == ("concept", edited)
    assert node["sourceData"]["display_name"] == "Graphs"
    assert node["targetData"]["display_name"] == "Edited"
    assert (node["sourceVersion"], node["targetVersion"]) == (1, 1)
    assert node["resolution"] is None
    # when the admin resolves it: the graph's value wins
    variables = {"id": node["id"], "strategy": "TARGET_WINS", "notes": "the graph was right"}
    payload = (await api.data(RESOLVE_CONFLICT, variables))["resolveConflict"]
    # then it is closed, PostgreSQL took the value and an outbox event syncs it back
    assert payload["errors"] == []
    assert payload["conflict"]["resolution"] == "TARGET_WINS"
    assert payload["conflict"]["resolvedAt"] is not None
    assert payload["syncToken"]
    row = sql_concept(world, edited)
    assert (row.display_name, row.version) == ("Edited", 2)
    assert conflicts(world)[0].notes == "the graph was right"
    # when it is resolved again
    again = (await api.data(RESOLVE_CONFLICT, variables))["resolveConflict"]
    # then it is refused as already resolved
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("id", "CONFLICT")]
    open_now = (await api.data(SYNC_CONFLICTS, {"resolved": False}))["syncConflicts"]["edges"]
    assert open_now == []


async def test_resolving_an_unknown_conflict_or_by_manual_review_is_refused(
    api: Api, world: World, settings: Settings, edited: str
) -> None:
    run(world, settings, edited, "manual_review")
    [conflict] = conflicts(world)
    await admin(api)
    # when an unknown id, a malformed id, or MANUAL_REVIEW is sent
    unknown = {"id": str(uuid.uuid4()), "strategy": "SOURCE_WINS"}
    malformed = {"id": "nope", "strategy": "SOURCE_WINS"}
    manual = {"id": str(conflict.id), "strategy": "MANUAL_REVIEW"}
    answers = [
        (await api.data(RESOLVE_CONFLICT, v))["resolveConflict"]
        for v in (unknown, malformed, manual)
    ]
    # then each names its field, and the conflict stays open with nothing written
    codes = [[(e["field"], e["code"]) for e in answer["errors"]] for answer in answers]
    assert codes == [[("id", "NOT_FOUND")], [("id", "NOT_FOUND")], [("strategy", "VALIDATION")]]
    assert conflicts(world)[0].resolved_at is None
    assert sql_concept(world, edited).version == 1
