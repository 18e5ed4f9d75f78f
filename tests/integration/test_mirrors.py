"""Each mirrored entity type reaches the graph in the shape SPEC section 4 gives it.

Rows and outbox events are written straight to SQL; apply_events then runs in the test itself.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, update

from domain.events import EntityType
from persistence.sql.models import (
    Concept,
    ConceptProgress,
    LearningPath,
    LearningPathItem,
    PathEnrollment,
    Skill,
    SkillMastery,
)
from tests.support.mirroring import World, concept, key, path, user

if TYPE_CHECKING:
    from collections.abc import Sequence


def contains(world: World, path_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    rows = world.query(
        "MATCH (:LearningPath {id: $id})-[r:CONTAINS]->(c:Concept) RETURN c.id AS c, properties(r) AS r",
        id=str(path_id),
    )
    return {row["c"]: row["r"] for row in rows}


def items(path_id: uuid.UUID, concepts: Sequence[Concept], required: bool = True) -> list[Any]:
    return [
        LearningPathItem(path_id=path_id, concept_id=c.id, order_index=i, is_required=required)
        for i, c in enumerate(concepts)
    ]


def test_a_learning_path_is_mirrored_with_its_items_as_contains_edges(world: World) -> None:
    # given a path with two items
    a, b, c = concept("alpha"), concept("beta"), concept("gamma")
    learning_path = path("Graphs")
    world.synced(a, b, c)
    world.add(learning_path)
    world.add(*items(learning_path.id, [a, b]))
    # when its event is applied
    world.apply(key(EntityType.LEARNING_PATH, learning_path.id))
    # then the node carries its fields and CONTAINS edges match the items
    [node] = world.query("MATCH (p:LearningPath) RETURN properties(p) AS p")
    assert node["p"]["title"] == "Graphs"
    assert node["p"]["difficulty"] == "beginner"
    assert node["p"]["version"] == 1
    assert node["p"]["content_hash"]
    edges = contains(world, learning_path.id)
    assert {cid: (e["order_index"], e["is_required"]) for cid, e in edges.items()} == {
        str(a.id): (0, True),
        str(b.id): (1, True),
    }
    # when the items are replaced and the path's version bumped
    world.execute(
        delete(LearningPathItem).where(LearningPathItem.path_id == learning_path.id),
        update(LearningPath).where(LearningPath.id == learning_path.id).values(version=2),
    )
    world.add(*items(learning_path.id, [c, b], required=False))
    world.apply(key(EntityType.LEARNING_PATH, learning_path.id))
    # then the edges are exactly the new items
    edges = contains(world, learning_path.id)
    assert {cid: (e["order_index"], e["is_required"]) for cid, e in edges.items()} == {
        str(c.id): (0, False),
        str(b.id): (1, False),
    }
    # when the path is deleted
    world.execute(delete(LearningPath))
    world.apply(key(EntityType.LEARNING_PATH, learning_path.id), deleted=True)
    # then the node and its edges are gone, the concepts stay
    assert world.query("MATCH (p:LearningPath) RETURN p") == []
    assert len(world.query("MATCH (c:Concept) RETURN c")) == 3


def test_an_older_path_snapshot_never_overwrites_a_newer_one(world: World) -> None:
    # given a path at version 2 with one item, mirrored
    a, b = concept("alpha"), concept("beta")
    learning_path = path("Graphs", version=2)
    world.synced(a, b)
    world.add(learning_path)
    world.add(*items(learning_path.id, [a]))
    world.apply(key(EntityType.LEARNING_PATH, learning_path.id))
    mirror = world.registry[EntityType.LEARNING_PATH]
    with world.sessions.begin() as session:
        [row] = mirror.snapshot(session, [str(learning_path.id)]).rows
    # when a version-1 row with another title and other items is written
    stale = {**row, "version": 1, "properties": {**row["properties"], "title": "Old"}}
    stale["contains"] = [{"id": str(b.id), "properties": {}, "content_hash": "x"}]
    with world.graph.session(database=world.database) as graph:
        graph.execute_write(lambda tx: mirror.write(tx, [stale]))
    # then the node and its edges keep version 2's state
    [node] = world.query("MATCH (p:LearningPath) RETURN p.title AS title, p.version AS v")
    assert node == {"title": "Graphs", "v": 2}
    assert set(contains(world, learning_path.id)) == {str(a.id)}


def test_path_enrollment_and_concept_progress_are_edges_from_the_user(world: World) -> None:
    # given a learner enrolled in a path with progress on a concept
    learner, a, learning_path = user("ada"), concept("alpha"), path("Graphs")
    world.synced(learner, a, learning_path)
    world.add(
        PathEnrollment(user_id=learner.id, path_id=learning_path.id, status="in_progress"),
        ConceptProgress(
            user_id=learner.id,
            concept_id=a.id,
            status="in_progress",
            progress_percent=40,
            mastery_score=0.3,
        ),
    )
    enrollment = key(EntityType.PATH_ENROLLMENT, learner.id, learning_path.id)
    progress = key(EntityType.CONCEPT_PROGRESS, learner.id, a.id)
    # when the events are applied
    world.apply(enrollment, progress)
    # then both edges exist with their fields
    [row] = world.query(
        "MATCH (:User {id: $u})-[e:ENROLLED_IN_PATH]->(:LearningPath {id: $p}) RETURN properties(e) AS e",
        u=str(learner.id),
        p=str(learning_path.id),
    )
    assert row["e"]["status"] == "in_progress"
    assert row["e"]["version"] == 1
    assert row["e"]["id"] == enrollment[1]
    [row] = world.query(
        "MATCH (:User {id: $u})-[e:HAS_PROGRESS]->(:Concept {id: $c}) RETURN properties(e) AS e",
        u=str(learner.id),
        c=str(a.id),
    )
    assert (row["e"]["status"], row["e"]["progress_percent"], row["e"]["mastery"]) == (
        "in_progress",
        40,
        0.3,
    )
    assert isinstance(row["e"]["updated_at"], str)
    # when the progress is updated
    world.execute(
        update(ConceptProgress).values(status="completed", progress_percent=100, version=2)
    )
    world.apply(progress)
    # then the same single edge holds the new state
    rows = world.query("MATCH ()-[e:HAS_PROGRESS]->() RETURN e.status AS s, e.version AS v")
    assert rows == [{"s": "completed", "v": 2}]
    # when both rows are deleted
    world.execute(delete(PathEnrollment), delete(ConceptProgress))
    world.apply(enrollment, progress, deleted=True)
    # then the edges are gone and the nodes stay
    assert world.query("MATCH ()-[e:HAS_PROGRESS|ENROLLED_IN_PATH]->() RETURN e") == []
    assert len(world.query("MATCH (n) RETURN n")) == 3


def test_an_older_progress_row_never_overwrites_a_newer_edge(world: World) -> None:
    # given progress at version 2 in the graph
    learner, a = user("ada"), concept("alpha")
    world.synced(learner, a)
    world.add(
        ConceptProgress(
            user_id=learner.id, concept_id=a.id, status="completed", progress_percent=100, version=2
        )
    )
    progress = key(EntityType.CONCEPT_PROGRESS, learner.id, a.id)
    world.apply(progress)
    mirror = world.registry[EntityType.CONCEPT_PROGRESS]
    with world.sessions.begin() as session:
        [row] = mirror.snapshot(session, [progress[1]]).rows
    # when a version-1 row is written
    stale = {**row, "version": 1, "properties": {**row["properties"], "status": "in_progress"}}
    with world.graph.session(database=world.database) as graph:
        graph.execute_write(lambda tx: mirror.write(tx, [stale]))
    # then the edge keeps version 2
    rows = world.query("MATCH ()-[e:HAS_PROGRESS]->() RETURN e.status AS s, e.version AS v")
    assert rows == [{"s": "completed", "v": 2}]


def test_skill_mastery_is_an_edge_from_the_learner_to_the_skill(world: World) -> None:
    # given a learner's mastery of a skill
    learner, skill = user("ada"), Skill(id=uuid.uuid4(), name="Recursion")
    world.add(learner, skill)
    world.add(
        SkillMastery(
            user_id=learner.id,
            skill_id=skill.id,
            current_mastery=0.7,
            confidence=0.5,
            trend="improving",
            mastery_category="proficient",
            num_assessments=3,
        )
    )
    mastery = key(EntityType.SKILL_MASTERY, learner.id, skill.id)
    # when the user, skill and mastery events are applied together
    world.apply(key(EntityType.USER, learner.id), key(EntityType.SKILL, skill.id), mastery)
    # then the edge joins the Student to the Skill with the mastery figures
    [row] = world.query(
        "MATCH (:Student {id: $u})-[m:MASTERS_SKILL]->(s:Skill) RETURN properties(m) AS m, s.name AS name",
        u=str(learner.id),
    )
    assert row["name"] == "Recursion"
    expected = {
        "current_mastery": 0.7,
        "confidence": 0.5,
        "trend": "improving",
        "num_assessments": 3,
        "mastery_category": "proficient",
        "version": 1,
    }
    assert {name: row["m"][name] for name in expected} == expected
    # when the mastery row is deleted
    world.execute(delete(SkillMastery))
    world.apply(mastery, deleted=True)
    # then the edge is gone
    assert world.query("MATCH ()-[m:MASTERS_SKILL]->() RETURN m") == []


def test_applying_the_same_events_twice_changes_nothing(world: World) -> None:
    # given a path with items, an enrollment and progress, all applied once
    learner, a, b, learning_path = user("ada"), concept("alpha"), concept("beta"), path("G")
    world.add(learner, a, b, learning_path)
    world.add(*items(learning_path.id, [a, b]))
    world.execute(
        insert(PathEnrollment).values(user_id=learner.id, path_id=learning_path.id),
        insert(ConceptProgress).values(user_id=learner.id, concept_id=a.id, status="completed"),
    )
    keys = [
        key(EntityType.USER, learner.id),
        key(EntityType.CONCEPT, a.id),
        key(EntityType.CONCEPT, b.id),
        key(EntityType.LEARNING_PATH, learning_path.id),
        key(EntityType.PATH_ENROLLMENT, learner.id, learning_path.id),
        key(EntityType.CONCEPT_PROGRESS, learner.id, a.id),
    ]
    world.apply(*keys)
    before = world.dump()
    # when the same events arrive again
    applied = world.apply(*keys)
    # then they are applied and the graph is exactly the same
    assert applied.events == len(keys)
    assert world.dump() == before
    # and no auth data reached the graph
    assert "password_hash" not in repr(before)
    assert "email" not in repr(before)
