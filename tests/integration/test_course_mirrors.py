"""Courses reach the graph as SPEC section 4 shapes them: teacher, students, chapters, content."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import delete, insert, update

from domain.events import EntityType
from persistence.sql.models import (
    Chapter,
    Course,
    CourseEnrollment,
    Reading,
    Skill,
    Theory,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from tests.support.mirroring import World, concept, key, user


def course(teacher_id: uuid.UUID) -> Course:
    return Course(id=uuid.uuid4(), title="Algorithms", teacher_id=teacher_id)


def chapter(course_id: uuid.UUID, index: int) -> Chapter:
    return Chapter(id=uuid.uuid4(), course_id=course_id, name=f"Chapter {index}", order_index=index)


def theory(chapter_id: uuid.UUID, index: int) -> Theory:
    return Theory(id=uuid.uuid4(), chapter_id=chapter_id, name=f"Theory {index}", order_index=index)


def chain(world: World, rel_type: str) -> list[tuple[str, str]]:
    rows = world.query(f"MATCH (a)-[:{rel_type}]->(b) RETURN a.id AS a, b.id AS b")
    return sorted((row["a"], row["b"]) for row in rows)


def linked(world: World, source_id: uuid.UUID, rel_type: str) -> set[str]:
    rows = world.query(
        f"MATCH ({{id: $id}})-[:{rel_type}]->(t) RETURN t.id AS t", id=str(source_id)
    )
    return {row["t"] for row in rows}


def ids(*rows: Any) -> list[str]:
    return [str(row.id) for row in rows]


def test_a_course_is_taught_by_its_teacher_and_the_edge_moves_with_the_teacher(
    world: World,
) -> None:
    # given a course taught by one teacher, with an enrolled student
    first, second, student = user("tess", "teacher"), user("tom", "teacher"), user("stu")
    world.add(first, second, student)
    algorithms = course(first.id)
    world.add(algorithms)
    world.execute(insert(CourseEnrollment).values(course_id=algorithms.id, student_id=student.id))
    enrollment = key(EntityType.COURSE_ENROLLMENT, algorithms.id, student.id)
    # when users, course and enrollment are applied
    world.apply(*[key(EntityType.USER, u.id) for u in (first, second, student)])
    world.apply(key(EntityType.COURSE, algorithms.id), enrollment)
    # then the teacher teaches it and the student is enrolled (version 1: the row has none)
    rows = world.query("MATCH (t:Teacher)-[:TEACHES_CLASS]->(c:Course) RETURN t.id AS t, c AS c")
    assert [(row["t"], row["c"]["title"], row["c"]["version"]) for row in rows] == [
        (str(first.id), "Algorithms", 1)
    ]
    rows = world.query("MATCH (:Student)-[e:ENROLLED_IN_CLASS]->(:Course) RETURN e.version AS v")
    assert rows == [{"v": 1}]
    # when the teacher changes
    world.execute(update(Course).values(teacher_id=second.id, version=2))
    world.apply(key(EntityType.COURSE, algorithms.id))
    # then only the new teacher teaches it
    assert chain(world, "TEACHES_CLASS") == [(str(second.id), str(algorithms.id))]
    # when the enrollment is deleted
    world.execute(delete(CourseEnrollment))
    world.apply(enrollment, deleted=True)
    # then the edge is gone
    assert chain(world, "ENROLLED_IN_CLASS") == []


def test_chapters_are_covered_by_their_course_and_chained_in_sql_order(world: World) -> None:
    # given a course with three chapters
    teacher = user("tess", "teacher")
    world.add(teacher)
    algorithms = course(teacher.id)
    world.add(algorithms)
    a, b, c = (chapter(algorithms.id, index) for index in range(3))
    world.add(a, b, c)
    # when the course and chapters are applied
    world.apply(
        key(EntityType.COURSE, algorithms.id), *[key(EntityType.CHAPTER, x.id) for x in (a, b, c)]
    )
    # then the course covers them and NEXT_CHAPTER follows order_index
    assert linked(world, algorithms.id, "COVERS_CHAPTER") == set(ids(a, b, c))
    assert chain(world, "NEXT_CHAPTER") == sorted([(str(a.id), str(b.id)), (str(b.id), str(c.id))])
    # when the last chapter moves first (only its event is sent)
    world.execute(update(Chapter).where(Chapter.id == c.id).values(order_index=-1, version=2))
    world.apply(key(EntityType.CHAPTER, c.id))
    # then the chain is rebuilt from SQL order
    assert chain(world, "NEXT_CHAPTER") == sorted([(str(c.id), str(a.id)), (str(a.id), str(b.id))])
    # when the middle chapter (a) is deleted
    world.execute(delete(Chapter).where(Chapter.id == a.id))
    world.apply(key(EntityType.CHAPTER, a.id), deleted=True)
    # then the node is gone and its neighbours are linked
    assert linked(world, algorithms.id, "COVERS_CHAPTER") == set(ids(b, c))
    assert chain(world, "NEXT_CHAPTER") == [(str(c.id), str(b.id))]


def test_a_theory_links_its_chapter_skills_concepts_and_siblings(world: World) -> None:
    # given a chapter with two theories, the first teaching a skill and a concept
    teacher = user("tess", "teacher")
    world.synced(teacher)
    algorithms = course(teacher.id)
    world.synced(algorithms)
    first_chapter = chapter(algorithms.id, 0)
    world.synced(first_chapter)
    one, two = theory(first_chapter.id, 0), theory(first_chapter.id, 1)
    recursion, loops = (
        Skill(id=uuid.uuid4(), name="Recursion"),
        Skill(id=uuid.uuid4(), name="Loops"),
    )
    alpha, beta = concept("alpha"), concept("beta")
    world.synced(recursion, loops, alpha, beta)
    world.add(one, two)
    world.execute(
        insert(theory_skills).values(theory_id=one.id, skill_id=recursion.id),
        insert(theory_concepts).values(theory_id=one.id, concept_id=alpha.id),
    )
    theories = [key(EntityType.THEORY, one.id), key(EntityType.THEORY, two.id)]
    # when the theories and skills are applied
    world.apply(*theories, key(EntityType.SKILL, recursion.id), key(EntityType.SKILL, loops.id))
    # then the theory hangs on its chapter, in order, with its links
    assert linked(world, first_chapter.id, "HAS_THEORY") == set(ids(one, two))
    assert chain(world, "NEXT_THEORY") == [(str(one.id), str(two.id))]
    assert linked(world, one.id, "HAS_SKILL") == set(ids(recursion))
    assert linked(world, one.id, "HAS_CONCEPT") == set(ids(alpha))
    [node] = world.query("MATCH (t:Theory {id: $id}) RETURN t AS t", id=str(one.id))
    assert (node["t"]["name"], node["t"]["order_index"], node["t"]["version"]) == ("Theory 0", 0, 1)
    # when the link sets change
    world.execute(
        delete(theory_skills),
        delete(theory_concepts),
        insert(theory_skills).values(theory_id=one.id, skill_id=loops.id),
        insert(theory_concepts).values(theory_id=one.id, concept_id=beta.id),
        update(Theory).where(Theory.id == one.id).values(version=2),
    )
    world.apply(theories[0])
    # then the edges match SQL exactly
    assert linked(world, one.id, "HAS_SKILL") == set(ids(loops))
    assert linked(world, one.id, "HAS_CONCEPT") == set(ids(beta))
    # when the chapter is deleted (SQL cascades to its theories)
    world.execute(delete(Chapter))
    world.apply(key(EntityType.CHAPTER, first_chapter.id), deleted=True)
    # then the chapter and its theories leave the graph; skills and concepts stay
    assert world.query("MATCH (n:Chapter|Theory) RETURN n") == []
    assert len(world.query("MATCH (n:Skill|Concept) RETURN n")) == 4


@pytest.mark.parametrize(
    ("model", "entity_type", "rel_type", "concepts"),
    [
        (Reading, EntityType.READING, "HAS_READING", reading_concepts),
        (Video, EntityType.VIDEO, "HAS_VIDEO", video_concepts),
    ],
)
def test_readings_and_videos_hang_on_their_theory_and_cover_concepts(
    world: World, model: Any, entity_type: EntityType, rel_type: str, concepts: Any
) -> None:
    # given a theory with one reading (or video) covering a concept
    teacher = user("tess", "teacher")
    world.synced(teacher)
    algorithms = course(teacher.id)
    world.synced(algorithms)
    first_chapter = chapter(algorithms.id, 0)
    world.synced(first_chapter)
    one, alpha = theory(first_chapter.id, 0), concept("alpha")
    world.synced(one, alpha)
    material = model(
        id=uuid.uuid4(), theory_id=one.id, title="Intro", url="https://x.test", order_index=0
    )
    world.add(material)
    owner = next(column for column in concepts.c if column.name != "concept_id")
    world.execute(insert(concepts).values({owner.name: material.id, "concept_id": alpha.id}))
    # when it is applied
    world.apply(key(entity_type, material.id))
    # then it hangs on the theory and covers the concept
    assert linked(world, one.id, rel_type) == set(ids(material))
    assert linked(world, material.id, "COVERS_CONCEPT") == set(ids(alpha))
    [node] = world.query("MATCH (m {id: $id}) RETURN properties(m) AS m", id=str(material.id))
    assert (node["m"]["title"], node["m"]["url"], node["m"]["version"]) == (
        "Intro",
        "https://x.test",
        1,
    )
    # when the course is deleted (SQL cascades all the way down)
    world.apply(
        key(EntityType.COURSE, algorithms.id),
        key(EntityType.CHAPTER, first_chapter.id),
        key(EntityType.THEORY, one.id),
    )
    world.execute(delete(Course))
    world.apply(key(EntityType.COURSE, algorithms.id), deleted=True)
    # then the course's whole content leaves the graph
    assert world.query("MATCH (n:Course|Chapter|Theory|Reading|Video) RETURN n") == []


def test_an_older_chapter_row_neither_overwrites_nor_rewires_a_newer_one(world: World) -> None:
    # given a chapter at version 2 in one course, mirrored
    teacher = user("tess", "teacher")
    world.synced(teacher)
    algorithms, other = course(teacher.id), course(teacher.id)
    world.synced(algorithms, other)
    first = chapter(algorithms.id, 0)
    first.version = 2
    world.add(first)
    world.apply(key(EntityType.CHAPTER, first.id))
    mirror = world.registry[EntityType.CHAPTER]
    with world.sessions.begin() as session:
        [row] = mirror.snapshot(session, [str(first.id)]).rows
    # when a version-1 row naming another course and name is written
    stale = {**row, "version": 1, "parent_id": str(other.id), "siblings": [str(uuid.uuid4())]}
    stale["properties"] = {**row["properties"], "name": "Old"}
    with world.graph.session(database=world.database) as graph:
        graph.execute_write(lambda tx: mirror.write(tx, [stale]))
    # then the chapter keeps its name, version and course, and no chain appears
    [node] = world.query("MATCH (c:Chapter) RETURN c.name AS name, c.version AS v")
    assert node == {"name": "Chapter 0", "v": 2}
    assert chain(world, "COVERS_CHAPTER") == [(str(algorithms.id), str(first.id))]
    assert chain(world, "NEXT_CHAPTER") == []


def test_applying_a_whole_course_twice_changes_nothing(world: World) -> None:
    # given a course with students, chapters, theories, skills and materials, applied once
    teacher, student = user("tess", "teacher"), user("stu")
    world.add(teacher, student)
    algorithms = course(teacher.id)
    world.add(algorithms)
    chapters = [chapter(algorithms.id, index) for index in range(2)]
    world.add(*chapters)
    theories = [theory(chapters[0].id, index) for index in range(2)]
    skill, alpha = Skill(id=uuid.uuid4(), name="Recursion"), concept("alpha")
    world.add(*theories, skill, alpha)
    reading = Reading(id=uuid.uuid4(), theory_id=theories[0].id, title="R", order_index=0)
    video = Video(id=uuid.uuid4(), theory_id=theories[1].id, title="V", order_index=0)
    world.add(reading, video)
    world.execute(
        insert(CourseEnrollment).values(course_id=algorithms.id, student_id=student.id),
        insert(theory_skills).values(theory_id=theories[0].id, skill_id=skill.id),
        insert(theory_concepts).values(theory_id=theories[0].id, concept_id=alpha.id),
        insert(reading_concepts).values(reading_id=reading.id, concept_id=alpha.id),
        insert(video_concepts).values(video_id=video.id, concept_id=alpha.id),
    )
    keys = [
        *[key(EntityType.USER, u.id) for u in (teacher, student)],
        key(EntityType.COURSE, algorithms.id),
        key(EntityType.COURSE_ENROLLMENT, algorithms.id, student.id),
        *[key(EntityType.CHAPTER, c.id) for c in chapters],
        *[key(EntityType.THEORY, t.id) for t in theories],
        key(EntityType.SKILL, skill.id),
        key(EntityType.CONCEPT, alpha.id),
        key(EntityType.READING, reading.id),
        key(EntityType.VIDEO, video.id),
    ]
    world.apply(*keys)
    before = world.dump()
    # when the same events arrive again
    world.apply(*keys)
    # then the graph is exactly the same
    assert world.dump() == before
    assert len(before[1]) == 14
