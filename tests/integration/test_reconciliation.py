"""Reconciliation finds what the graph lacks, holds in excess or holds stale, and repairs it.

The test graph is shared with other runs, so every run here is limited to the ids the test
created (entity_ids); the GraphQL test only reports (repair false) and asserts lower bounds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cli.main import cli
from domain.events import EntityType
from persistence.reconcile.engine import reconcile
from persistence.sql.models import ConceptProgress, ConceptRelation, ReconciliationRun, SyncConflict
from tests.support.mirroring import World, concept, key, user

if TYPE_CHECKING:
    from collections.abc import Sequence

    from config.settings import Settings
    from persistence.reconcile.tally import RunSummary


@dataclass(frozen=True)
class Scene:
    a: str
    b: str
    relation: str
    learner: str
    progress: str

    @property
    def ids(self) -> list[str]:
        return [self.a, self.b, self.relation, self.learner, self.progress]


@pytest.fixture
def scene(world: World) -> Scene:
    """Given two concepts, a prerequisite between them and a learner's progress, all synced."""
    a, b, learner = concept("alpha"), concept("beta"), user("lena")
    world.add(a, b, learner)
    relation = ConceptRelation(
        id=uuid.uuid4(), source_id=a.id, target_id=b.id, kind="prerequisite", strength=0.8
    )
    progress = ConceptProgress(
        user_id=learner.id, concept_id=a.id, status="in_progress", progress_percent=40.0
    )
    world.add(relation, progress)
    world.apply(
        key(EntityType.CONCEPT, a.id),
        key(EntityType.CONCEPT, b.id),
        key(EntityType.USER, learner.id),
        key(EntityType.CONCEPT_RELATION, relation.id),
        key(EntityType.CONCEPT_PROGRESS, learner.id, a.id),
    )
    progress_id = f"{learner.id}:{a.id}"
    return Scene(str(a.id), str(b.id), str(relation.id), str(learner.id), progress_id)


SCENE_TYPES = ["user", "concept", "concept_relation", "concept_progress"]


def run(world: World, settings: Settings, ids: Sequence[str], **options: Any) -> RunSummary:
    """A run over the scene's ids; its types only, so it is short (the graph is shared)."""
    options.setdefault("entity_types", SCENE_TYPES)
    return reconcile(world.sessions, world.graph, settings=settings, entity_ids=ids, **options)


def snapshot(world: World, ids: Sequence[str]) -> list[str]:
    """The scene's nodes and edges with their properties, in a stable order."""
    rows = world.query(
        "MATCH (n) WHERE n.id IN $ids OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN properties(n) AS n, type(r) AS t, properties(r) AS r, m.id AS m",
        ids=list(ids),
    )
    return sorted(map(repr, rows))


def counts(summary: RunSummary) -> tuple[int, int, int, int, int]:
    t = summary.totals
    return t.missing, t.orphaned, t.stale, t.conflicts, t.repaired


def test_a_synced_graph_has_nothing_to_repair(
    world: World, settings: Settings, scene: Scene
) -> None:
    # when a run compares the synced scene
    summary = run(world, settings, scene.ids)
    # then every entity was checked and nothing differs
    assert summary.status == "completed"
    assert summary.totals.checked == 5
    assert counts(summary) == (0, 0, 0, 0, 0)


def test_a_node_deleted_behind_the_products_back_is_restored(
    world: World, settings: Settings, scene: Scene
) -> None:
    # given concept alpha deleted from the graph directly, its edges with it
    world.query("MATCH (c:Concept {id: $id}) DETACH DELETE c", id=scene.a)
    # when a run repairs
    summary = run(world, settings, scene.ids)
    # then the node, its prerequisite and the progress edge are back
    assert counts(summary) == (3, 0, 0, 0, 3)
    assert summary.by_type["concept"].missing == 1
    [node] = world.query("MATCH (c:Concept {id: $id}) RETURN c.name AS name", id=scene.a)
    assert node["name"] == "alpha"
    assert world.query("MATCH (:Concept {id: $id})-[:PREREQUISITE]->() RETURN 1 AS x", id=scene.a)
    # and a second run finds nothing
    assert counts(run(world, settings, scene.ids)) == (0, 0, 0, 0, 0)


def test_an_orphan_node_is_removed(world: World, settings: Settings, scene: Scene) -> None:
    # given a concept node no SQL row stands for
    orphan = str(uuid.uuid4())
    world.query("CREATE (:Concept {id: $id, version: 1, name: 'ghost'})", id=orphan)
    # when a run repairs
    summary = run(world, settings, [*scene.ids, orphan])
    # then it was counted and removed
    assert counts(summary) == (0, 1, 0, 0, 1)
    assert not world.query("MATCH (c:Concept {id: $id}) RETURN c", id=orphan)
    assert counts(run(world, settings, [*scene.ids, orphan])) == (0, 0, 0, 0, 0)


def test_an_older_graph_version_is_stale_and_rewritten(
    world: World, settings: Settings, scene: Scene
) -> None:
    # given the relation's edge at an older version (its content as synced then)
    world.query("MATCH ()-[r:PREREQUISITE {id: $id}]->() SET r.version = 0", id=scene.relation)
    # when a run repairs
    summary = run(world, settings, scene.ids)
    # then it was stale and is at the SQL version again
    assert counts(summary) == (0, 0, 1, 0, 1)
    [edge] = world.query(
        "MATCH ()-[r:PREREQUISITE {id: $id}]->() RETURN r.version AS v", id=scene.relation
    )
    assert edge["v"] == 1


def test_an_edited_node_is_recorded_as_a_conflict_and_repaired(
    world: World, settings: Settings, scene: Scene
) -> None:
    # given concept beta's display name changed in the graph outside the sync
    world.query("MATCH (c:Concept {id: $id}) SET c.display_name = 'Hacked'", id=scene.b)
    # when a run repairs with the default strategy (source wins)
    summary = run(world, settings, scene.ids)
    # then a conflict holds both sides and is resolved; the graph has PostgreSQL's value again
    assert counts(summary) == (0, 0, 0, 1, 1)
    with world.sessions() as session:
        [conflict] = session.scalars(select(SyncConflict)).all()
    assert (conflict.entity_type, conflict.entity_id) == ("concept", scene.b)
    assert conflict.source_data
    assert conflict.source_data["display_name"] == "Beta"
    assert conflict.target_data
    assert conflict.target_data["display_name"] == "Hacked"
    assert conflict.resolution == "source_wins"
    assert conflict.resolved_at is not None
    [node] = world.query("MATCH (c:Concept {id: $id}) RETURN c.display_name AS d", id=scene.b)
    assert node["d"] == "Beta"
    assert counts(run(world, settings, scene.ids)) == (0, 0, 0, 0, 0)


def test_with_repair_off_a_run_only_reports(world: World, settings: Settings, scene: Scene) -> None:
    # given a deleted node, an orphan and an edited node
    orphan = str(uuid.uuid4())
    world.query("MATCH (c:Concept {id: $id}) DETACH DELETE c", id=scene.a)
    world.query("CREATE (:Concept {id: $id, version: 1})", id=orphan)
    world.query("MATCH (c:Concept {id: $id}) SET c.display_name = 'Hacked'", id=scene.b)
    before = snapshot(world, [*scene.ids, orphan])
    # when a run only reports
    summary = run(world, settings, [*scene.ids, orphan], repair=False)
    # then it counted everything, changed nothing in the graph and left the conflict open
    assert counts(summary) == (3, 1, 0, 1, 0)
    assert snapshot(world, [*scene.ids, orphan]) == before
    with world.sessions() as session:
        [conflict] = session.scalars(select(SyncConflict)).all()
        recorded = session.get_one(ReconciliationRun, summary.run_id)
    assert conflict.resolved_at is None
    assert (recorded.repair, recorded.missing_in_graph, recorded.orphaned_in_graph) == (False, 3, 1)


def test_a_run_limited_to_a_type_leaves_the_others_alone(
    world: World, settings: Settings, scene: Scene
) -> None:
    # given the progress edge and the relation edge both deleted
    world.query("MATCH ()-[r:HAS_PROGRESS|PREREQUISITE]->() DELETE r")
    # when a run covers only concept progress
    summary = run(world, settings, scene.ids, entity_types=["concept_progress"])
    # then only the progress edge is restored
    assert set(summary.by_type) == {"concept_progress"}
    assert counts(summary) == (1, 0, 0, 0, 1)
    assert world.query("MATCH ()-[r:HAS_PROGRESS]->() RETURN r")
    assert not world.query("MATCH ()-[r:PREREQUISITE]->() RETURN r")


def test_the_run_is_recorded_with_its_counts(
    world: World, settings: Settings, scene: Scene
) -> None:
    # given a deleted node
    world.query("MATCH (c:Concept {id: $id}) DETACH DELETE c", id=scene.b)
    # when a run repairs
    summary = run(world, settings, scene.ids)
    # then reconciliation_runs holds it, finished, with the same counts
    with world.sessions() as session:
        recorded = session.get_one(ReconciliationRun, summary.run_id)
    assert recorded.status == "completed"
    assert recorded.finished_at is not None
    assert (recorded.checked, recorded.missing_in_graph, recorded.repaired) == (5, 2, 2)


def test_the_cli_shows_progress_and_a_summary_table(world: World, scene: Scene) -> None:
    # given a deleted node
    world.query("MATCH (c:Concept {id: $id}) DETACH DELETE c", id=scene.a)
    # when the command runs for the scene's concepts
    args = ["reconcile", "--type", "concept", "--type", "concept_relation"]
    args += [f"--id={value}" for value in scene.ids]
    result = CliRunner().invoke(cli, args)
    # then it shows a progress bar and a table with the counts per type and in total
    assert result.exit_code == 0, result.output
    assert "reconciling" in result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("type"))
    assert header.split() == [
        "type",
        "checked",
        "missing",
        "orphaned",
        "stale",
        "conflicts",
        "repaired",
    ]
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if line.split() and line.split()[0] in {"concept", "concept_relation", "total"}
    }
    assert rows["concept"] == ["2", "1", "0", "0", "0", "1"]
    assert rows["concept_relation"] == ["1", "1", "0", "0", "0", "1"]
    assert rows["total"] == ["3", "2", "0", "0", "0", "2"]
    assert "completed" in result.output


def test_the_cli_refuses_an_unknown_type() -> None:
    # when the command names a type nothing mirrors
    result = CliRunner().invoke(cli, ["reconcile", "--type", "quiz"])
    # then it fails naming the option, before any run is recorded
    assert result.exit_code == 2
    assert "--type" in result.output
    assert "quiz" in result.output
