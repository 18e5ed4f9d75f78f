"""A structural edge lost alone (deleted behind the product's back) is found and restored by
reconciliation, without waiting for its owner to change."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, insert

from domain.events import EntityType
from persistence.reconcile.engine import reconcile
from persistence.sql.models import (
    Chapter,
    Course,
    LearningPathItem,
    Reading,
    Skill,
    Theory,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
)
from tests.support.mirroring import World, concept, key, path, user

if TYPE_CHECKING:
    from neo4j import Driver

    from config.settings import Settings
    from persistence.reconcile.tally import RunSummary

TYPES = [
    "user",
    "concept",
    "skill",
    "learning_path",
    "course",
    "chapter",
    "theory",
    "reading",
    "video",
]


def _row_ids(*rows: Any) -> list[str]:
    return [str(row.id) for row in rows]


@pytest.fixture
def course_world(engine: Engine, graph: Driver, settings: Settings) -> tuple[World, list[str]]:
    """Given a course with two chapters, two theories (skill, concept, reading, video) and a
    learning path over the concept, all synced."""
    world = World(engine, graph, settings)
    teacher, alpha = user("tess", "teacher"), concept("alpha")
    skill = Skill(id=uuid.uuid4(), name="Recursion")
    algorithms = Course(id=uuid.uuid4(), title="Algorithms", teacher_id=teacher.id)
    world.add(teacher, alpha, skill)
    world.add(algorithms)
    first, second = (
        Chapter(id=uuid.uuid4(), course_id=algorithms.id, name=f"C{i}", order_index=i)
        for i in range(2)
    )
    world.add(first, second)
    one, two = (
        Theory(id=uuid.uuid4(), chapter_id=first.id, name=f"T{i}", order_index=i) for i in range(2)
    )
    world.add(one, two)
    reading = Reading(id=uuid.uuid4(), theory_id=one.id, title="R", order_index=0)
    video = Video(id=uuid.uuid4(), theory_id=one.id, title="V", order_index=0)
    tour = path("Tour")
    world.add(reading, video, tour)
    world.add(LearningPathItem(path_id=tour.id, concept_id=alpha.id, order_index=0))
    world.execute(
        insert(theory_skills).values(theory_id=one.id, skill_id=skill.id),
        insert(theory_concepts).values(theory_id=one.id, concept_id=alpha.id),
        insert(reading_concepts).values(reading_id=reading.id, concept_id=alpha.id),
    )
    rows: dict[EntityType, list[Any]] = {
        EntityType.USER: [teacher],
        EntityType.CONCEPT: [alpha],
        EntityType.SKILL: [skill],
        EntityType.LEARNING_PATH: [tour],
        EntityType.COURSE: [algorithms],
        EntityType.CHAPTER: [first, second],
        EntityType.THEORY: [one, two],
        EntityType.READING: [reading],
        EntityType.VIDEO: [video],
    }
    world.apply(*[key(kind, row.id) for kind, found in rows.items() for row in found])
    return world, [value for found in rows.values() for value in _row_ids(*found)]


def _run(world: World, settings: Settings, ids: list[str]) -> RunSummary:
    return reconcile(
        world.sessions, world.graph, settings=settings, entity_types=TYPES, entity_ids=ids
    )


def _count(world: World, rel_type: str) -> int:
    [row] = world.query(f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS n")
    return int(row["n"])


@pytest.mark.parametrize(
    "rel_type",
    [
        "TEACHES_CLASS",
        "COVERS_CHAPTER",
        "NEXT_CHAPTER",
        "HAS_THEORY",
        "NEXT_THEORY",
        "HAS_SKILL",
        "HAS_CONCEPT",
        "HAS_READING",
        "HAS_VIDEO",
        "COVERS_CONCEPT",
        "CONTAINS",
    ],
)
def test_a_structural_edge_deleted_in_the_graph_is_found_missing_and_restored(
    course_world: tuple[World, list[str]], settings: Settings, rel_type: str
) -> None:
    world, ids = course_world
    before = _count(world, rel_type)
    assert before >= 1
    # given one structural edge deleted behind the product's back (its nodes untouched)
    world.query(f"MATCH ()-[r:{rel_type}]->() WITH r LIMIT 1 DELETE r")
    # when reconciliation runs
    summary = _run(world, settings, ids)
    # then it reports the edge missing, puts it back, and a second run finds all in sync
    assert summary.totals.missing == 1
    assert summary.totals.repaired >= 1
    assert _count(world, rel_type) == before
    again = _run(world, settings, ids).totals
    assert (again.missing, again.stale, again.orphaned, again.conflicts) == (0, 0, 0, 0)


def test_a_bare_node_an_edge_left_behind_its_ends_delete_is_reported_and_removed(
    engine: Engine, graph: Driver, settings: Settings
) -> None:
    # given a learner in the graph, and a progress edge that reached the graph after its
    # concept's delete did, leaving the concept behind as a bare node (no version)
    world = World(engine, graph, settings)
    learner = user("lena")
    world.add(learner)
    world.apply(key(EntityType.USER, learner.id))
    gone, learner_id = str(uuid.uuid4()), str(learner.id)
    progress_id = f"{learner_id}:{gone}"
    world.query(
        "MATCH (u:User {id: $user}) MERGE (c:Concept {id: $concept}) "
        "MERGE (u)-[:HAS_PROGRESS {id: $progress}]->(c)",
        user=learner_id,
        concept=gone,
        progress=progress_id,
    )
    # when reconciliation runs over them
    summary = reconcile(
        world.sessions,
        world.graph,
        settings=settings,
        entity_types=["concept", "concept_progress"],
        entity_ids=[gone, progress_id],
    )
    # then the bare node is reported orphaned and removed, with the edge hanging on it
    assert summary.by_type["concept"].orphaned == 1
    assert world.query("MATCH (c:Concept {id: $id}) RETURN c", id=gone) == []
    assert world.query("MATCH ()-[r:HAS_PROGRESS {id: $id}]->() RETURN r", id=progress_id) == []
