"""The demo course and its structure, each part found by its parent and name or title."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert

from domain.events import EntityType
from persistence.sql.models import (
    Chapter,
    Concept,
    Course,
    CourseEnrollment,
    Reading,
    Skill,
    Theory,
    User,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from persistence.sql.seed.data.course import COURSE, SKILLS

if TYPE_CHECKING:
    import uuid

    from persistence.sql.seed.seeding import Seeding

__all__ = ["load_course", "load_skills"]

Material = TypeVar("Material", Reading, Video)


def load_skills(seeding: Seeding) -> dict[str, Skill]:
    """name -> skill, for every demo skill (created when missing)."""
    found = seeding.session.scalars(select(Skill).where(Skill.name.in_(list(SKILLS))))
    skills = {skill.name: skill for skill in found}
    for name, description in SKILLS.items():
        if name not in skills:
            skill = Skill(name=name, description=description, version=1)
            seeding.session.add(skill)
            seeding.session.flush()
            seeding.node_created(EntityType.SKILL, skill.id)
            skills[name] = skill
    return skills


def load_course(
    seeding: Seeding, users: dict[str, User], concepts: dict[str, Concept], skills: dict[str, Skill]
) -> Course:
    """The course with its teacher, students, chapters, theories and their materials."""
    course = _course(seeding, users[COURSE["teacher"]].id)
    for student in COURSE["students"]:
        _enroll(seeding, course.id, users[student].id)
    for index, fields in enumerate(COURSE["chapters"]):
        chapter = _chapter(seeding, course.id, index, fields["name"])
        for order, theory_fields in enumerate(fields["theories"]):
            _theory(
                seeding,
                chapter_id=chapter.id,
                index=order,
                fields=theory_fields,
                concepts=concepts,
                skills=skills,
            )
    return course


def _course(seeding: Seeding, teacher_id: uuid.UUID) -> Course:
    found = seeding.session.scalar(
        select(Course).where(Course.title == COURSE["title"], Course.teacher_id == teacher_id)
    )
    if found is not None:
        return found
    course = Course(
        title=COURSE["title"], description=COURSE["description"], teacher_id=teacher_id, version=1
    )
    seeding.session.add(course)
    seeding.session.flush()
    seeding.node_created(EntityType.COURSE, course.id)
    return course


def _enroll(seeding: Seeding, course_id: uuid.UUID, student_id: uuid.UUID) -> None:
    if seeding.session.get(CourseEnrollment, (course_id, student_id)) is None:
        seeding.session.add(CourseEnrollment(course_id=course_id, student_id=student_id))
        seeding.session.flush()
        seeding.edge_created(EntityType.COURSE_ENROLLMENT, course_id, student_id)


def _chapter(seeding: Seeding, course_id: uuid.UUID, index: int, name: str) -> Chapter:
    found = seeding.session.scalar(
        select(Chapter).where(Chapter.course_id == course_id, Chapter.name == name)
    )
    if found is not None:
        return found
    chapter = Chapter(course_id=course_id, name=name, order_index=index, version=1)
    seeding.session.add(chapter)
    seeding.session.flush()
    seeding.node_created(EntityType.CHAPTER, chapter.id)
    return chapter


def _theory(
    seeding: Seeding,
    *,
    chapter_id: uuid.UUID,
    index: int,
    fields: dict[str, Any],
    concepts: dict[str, Concept],
    skills: dict[str, Skill],
) -> None:
    theory = seeding.session.scalar(
        select(Theory).where(Theory.chapter_id == chapter_id, Theory.name == fields["name"])
    )
    if theory is None:
        theory = Theory(
            chapter_id=chapter_id,
            name=fields["name"],
            summary=fields["summary"],
            order_index=index,
            version=1,
        )
        seeding.session.add(theory)
        seeding.session.flush()
        seeding.node_created(EntityType.THEORY, theory.id)
    _link(seeding, theory_concepts, theory.id, [concepts[name].id for name in fields["concepts"]])
    _link(seeding, theory_skills, theory.id, [skills[name].id for name in fields["skills"]])
    _materials(seeding, Reading, theory.id, fields["readings"], concepts)
    _materials(seeding, Video, theory.id, fields["videos"], concepts)


def _materials(
    seeding: Seeding,
    model: type[Material],
    theory_id: uuid.UUID,
    items: list[dict[str, Any]],
    concepts: dict[str, Concept],
) -> None:
    links = reading_concepts if model is Reading else video_concepts
    for index, item in enumerate(items):
        material = _material(seeding, model, theory_id, index, item)
        _link(seeding, links, material.id, [concepts[name].id for name in item["concepts"]])


def _material(
    seeding: Seeding, model: type[Material], theory_id: uuid.UUID, index: int, item: dict[str, Any]
) -> Material:
    found = seeding.session.scalar(
        select(model).where(model.theory_id == theory_id, model.title == item["title"])
    )
    if found is not None:
        return found
    material = model(
        theory_id=theory_id, title=item["title"], url=item["url"], order_index=index, version=1
    )
    seeding.session.add(material)
    seeding.session.flush()
    entity_type = EntityType.READING if model is Reading else EntityType.VIDEO
    seeding.node_created(entity_type, material.id)
    return material


def _link(seeding: Seeding, table: Table, owner_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    """Adds the missing rows of a link table (owner column first, then the linked id)."""
    owner, linked = (column.name for column in table.columns)
    rows = [{owner: owner_id, linked: linked_id} for linked_id in ids]
    inserted = seeding.session.execute(
        insert(table).values(rows).on_conflict_do_nothing().returning(table.c[owner])
    )
    seeding.row_created(table.name, len(inserted.all()))
