"""Importing a course's structure: chapters, theories, skills, readings and videos as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.errors import ErrorCode, UserError, UserErrors
from domain.validation import Checks
from persistence.sql.bookkeeping import touch
from persistence.sql.models import (
    Chapter,
    Reading,
    Theory,
    Video,
    reading_concepts,
    theory_concepts,
    theory_skills,
    video_concepts,
)
from persistence.sql.models.base import new_id
from persistence.sql.repositories import concepts, courses
from resolvers import policy
from resolvers.courses import CourseWrite, locked_course_for_editing
from resolvers.sync_tokens import sync_token

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterator

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.context import Context

__all__ = [
    "ChapterSpec",
    "ResourceSpec",
    "TheorySpec",
    "check_structure",
    "import_course_structure",
]

MAX_CHAPTERS = 100
MAX_THEORIES = 100
MAX_ITEMS = 50
MAX_THEORIES_IN_ALL = 1000


@dataclass(frozen=True)
class ResourceSpec:
    title: str
    url: str | None = None
    concept_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TheorySpec:
    name: str
    summary: str = ""
    skills: list[str] = field(default_factory=list)
    concept_names: list[str] = field(default_factory=list)
    readings: list[ResourceSpec] = field(default_factory=list)
    videos: list[ResourceSpec] = field(default_factory=list)


@dataclass(frozen=True)
class ChapterSpec:
    name: str
    theories: list[TheorySpec] = field(default_factory=list)


def _check_count(checks: Checks, name: str, items: list[Any], limit: int) -> None:
    if len(items) > limit:
        checks.fail(name, f"{name} takes at most {limit} items")


def _check_resource(checks: Checks, at: str, resource: ResourceSpec) -> None:
    checks.text(f"{at}.title", resource.title, max_length=300, required=True)
    checks.url(f"{at}.url", resource.url, max_length=1000)
    _check_count(checks, f"{at}.conceptNames", resource.concept_names, MAX_ITEMS)


def _check_theory(checks: Checks, at: str, theory: TheorySpec) -> None:
    checks.text(f"{at}.name", theory.name, max_length=200, required=True)
    checks.text(f"{at}.summary", theory.summary, max_length=5000)
    for index, skill in enumerate(theory.skills):
        checks.text(f"{at}.skills[{index}]", skill, max_length=200, required=True)
    for name in ("skills", "concept_names", "readings", "videos"):
        label = "conceptNames" if name == "concept_names" else name
        _check_count(checks, f"{at}.{label}", getattr(theory, name), MAX_ITEMS)
    for kind in ("readings", "videos"):
        for index, resource in enumerate(getattr(theory, kind)):
            _check_resource(checks, f"{at}.{kind}[{index}]", resource)


def check_structure(chapters: list[ChapterSpec]) -> None:
    """Raises every problem with the structure at once, each naming its input path."""
    checks = Checks()
    _check_count(checks, "chapters", chapters, MAX_CHAPTERS)
    if sum(len(chapter.theories) for chapter in chapters) > MAX_THEORIES_IN_ALL:
        checks.fail("chapters", f"a course takes at most {MAX_THEORIES_IN_ALL} theories in all")
    for c, chapter in enumerate(chapters):
        checks.text(f"chapters[{c}].name", chapter.name, max_length=200, required=True)
        _check_count(checks, f"chapters[{c}].theories", chapter.theories, MAX_THEORIES)
        for t, theory in enumerate(chapter.theories):
            _check_theory(checks, f"chapters[{c}].theories[{t}]", theory)
    checks.raise_if_any()


def _concept_references(chapters: list[ChapterSpec]) -> Iterator[tuple[str, str]]:
    """(input path, concept name) for every concept the structure names."""
    for c, chapter in enumerate(chapters):
        for t, theory in enumerate(chapter.theories):
            at = f"chapters[{c}].theories[{t}]"
            for n, name in enumerate(theory.concept_names):
                yield f"{at}.conceptNames[{n}]", name
            for kind in ("readings", "videos"):
                for r, resource in enumerate(getattr(theory, kind)):
                    for n, name in enumerate(resource.concept_names):
                        yield f"{at}.{kind}[{r}].conceptNames[{n}]", name


async def _concept_ids(uow: UnitOfWork, chapters: list[ChapterSpec]) -> dict[str, uuid.UUID]:
    references = list(_concept_references(chapters))
    names = {name for _, name in references}
    found = await concepts.concept_ids_named(uow.session, names=names)
    missing = [
        UserError(at, f"no concept is named {name}", ErrorCode.NOT_FOUND)
        for at, name in references
        if name not in found
    ]
    if missing:
        raise UserErrors(*missing)
    return found


async def _skill_ids(uow: UnitOfWork, chapters: list[ChapterSpec]) -> dict[str, uuid.UUID]:
    """Ids of every skill named, creating the ones that are new."""
    names = sorted({s.strip() for c in chapters for t in c.theories for s in t.skills})
    return await courses.skill_ids(uow.session, names=names)


@dataclass(frozen=True)
class _Known:
    """Ids of the concepts and skills the structure names, by name."""

    concepts: dict[str, uuid.UUID]
    skills: dict[str, uuid.UUID]


@dataclass
class _Plan:
    """The rows of a new structure, table by table."""

    rows: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Any, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def node(self, table: Any, row: dict[str, Any]) -> uuid.UUID:
        row_id = new_id()
        self.add(table, {"id": row_id, **row})
        return row_id


def _plan_theory(
    plan: _Plan, chapter_id: uuid.UUID, order: int, theory: TheorySpec, known: _Known
) -> None:
    row = {"chapter_id": chapter_id, "name": theory.name.strip(), "summary": theory.summary}
    theory_id = plan.node(Theory, {**row, "order_index": order})
    for skill in dict.fromkeys(s.strip() for s in theory.skills):
        plan.add(theory_skills, {"theory_id": theory_id, "skill_id": known.skills[skill]})
    for name in dict.fromkeys(theory.concept_names):
        plan.add(theory_concepts, {"theory_id": theory_id, "concept_id": known.concepts[name]})
    resources = (
        (Reading, reading_concepts, "reading_id", theory.readings),
        (Video, video_concepts, "video_id", theory.videos),
    )
    for table, link, key, items in resources:
        for index, item in enumerate(items):
            fields = {"theory_id": theory_id, "title": item.title.strip(), "url": item.url}
            item_id = plan.node(table, {**fields, "order_index": index})
            for name in dict.fromkeys(item.concept_names):
                plan.add(link, {key: item_id, "concept_id": known.concepts[name]})


def _plan(course_id: uuid.UUID, chapters: list[ChapterSpec], known: _Known) -> _Plan:
    plan = _Plan()
    for index, chapter in enumerate(chapters):
        row = {"course_id": course_id, "name": chapter.name.strip(), "order_index": index}
        chapter_id = plan.node(Chapter, row)
        for order, theory in enumerate(chapter.theories):
            _plan_theory(plan, chapter_id, order, theory, known)
    return plan


INSERT_ORDER = (
    Chapter,
    Theory,
    Reading,
    Video,
    theory_skills,
    theory_concepts,
    reading_concepts,
    video_concepts,
)


async def import_course_structure(
    context: Context, value: str, chapters: list[ChapterSpec]
) -> CourseWrite:
    """Replaces the course's whole structure in one transaction, or changes nothing."""
    principal = policy.author(context.principal)
    check_structure(chapters)
    async with context.unit_of_work() as uow:
        course = await locked_course_for_editing(uow.session, principal, value, "courseId")
        course_id = course.id
        concept_ids = await _concept_ids(uow, chapters)
        await courses.clear_structure(uow.session, course_id=course_id)
        skills = await _skill_ids(uow, chapters)
        plan = _plan(course_id, chapters, _Known(concept_ids, skills))
        await courses.insert_rows(uow.session, tables=INSERT_ORDER, rows=plan.rows)
        touch(course)  # its structure changed
        committed = await uow.commit()
    return CourseWrite(course=course, sync_token=sync_token(committed))
