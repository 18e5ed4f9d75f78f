"""A signed-in user and the views of their own they selected, in one statement.

The statement's JSON holds the account and each part asked for: profile, preferences, the
dashboard's figures, a page of progress (with each concept), a page of quiz attempts (with
each quiz), achievements, path enrollments (with each path) and skill mastery (with each
skill), in the orders and pages their own loaders use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from persistence.sql.models import (
    Achievement,
    LearningPath,
    LearningPreferences,
    PathEnrollment,
    Profile,
    Quiz,
    QuizAttempt,
    Skill,
    SkillMastery,
    User,
)
from persistence.sql.reads.documents import read_document
from persistence.sql.reads.figures import FIGURES, Figures, figures_of, streak_since
from persistence.sql.reads.progress import JsonPage, page_of, progress_page
from persistence.sql.reads.records import json_object, record
from persistence.sql.reads.rows import Statement, psycopg_text

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import DeclarativeBase

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.shapes import Pick

__all__ = [
    "LearnerRead",
    "LearnerSelection",
    "PageRead",
    "PageWanted",
    "ProgressRead",
    "ProgressWanted",
    "read_learner",
]

SECRET_COLUMNS = ("password_hash", "token_generation")
R = TypeVar("R", bound="DeclarativeBase")
T = TypeVar("T", bound="DeclarativeBase")
Row = TypeVar("Row")
Parent = TypeVar("Parent")


@dataclass(frozen=True)
class PageWanted:
    """Rows offset+1 .. offset+limit of a list, and whether each row's parent is wanted too."""

    offset: int
    limit: int
    with_parent: bool = False


@dataclass(frozen=True)
class ProgressWanted:
    """Progress rows offset+1 .. offset+limit, each as `pick` wants it (the progress subtree's
    own read, persistence.sql.reads.progress)."""

    offset: int
    limit: int
    pick: Pick | Answer | Edges


@dataclass(frozen=True)
class ProgressRead:
    wanted: ProgressWanted
    page: JsonPage


@dataclass(frozen=True)
class LearnerSelection:
    """The parts of a user's own views a request selected (None or False: not read)."""

    profile: bool = False
    preferences: bool = False
    figures: bool = False
    progress: ProgressWanted | None = None
    attempts: PageWanted | None = None
    achievements: bool = False
    enrollments: bool = False
    enrollment_paths: bool = False
    skill_mastery: bool = False
    mastery_skills: bool = False


@dataclass(frozen=True)
class PageRead(Generic[Row, Parent]):
    """A page as read: its rows with each one's parent (None when not asked) and the total."""

    wanted: PageWanted
    rows: list[tuple[Row, Parent | None]]
    total: int


@dataclass
class LearnerRead:
    """What the statement found; a part not selected stays None."""

    account: User
    profile: Profile | None = None
    preferences: LearningPreferences | None = None
    figures: Figures | None = None
    progress: ProgressRead | None = None
    attempts: PageRead[QuizAttempt, Quiz] | None = None
    achievements: list[tuple[Achievement, datetime]] | None = None
    enrollments: list[tuple[PathEnrollment, LearningPath | None]] | None = None
    skill_mastery: list[tuple[SkillMastery, Skill | None]] | None = None
    selected: LearnerSelection = field(default_factory=LearnerSelection)


def _one(model: type[DeclarativeBase], alias: str, table: str, on: str) -> str:
    return f"(SELECT {json_object(model, alias)} FROM {table} {alias} WHERE {on})"


def _list(item: str, source: str, order: str) -> str:
    return f"(SELECT coalesce(json_agg({item} ORDER BY {order}), '[]') FROM {source})"


def _page(table: str, order: str, item: str, name: str) -> str:
    rows = (
        f"(SELECT * FROM {table} WHERE user_id = u.id ORDER BY {order}"
        f" OFFSET :{name}_offset LIMIT :{name}_limit) AS x"
    )
    total = f"(SELECT count(*) FROM {table} WHERE user_id = u.id)"
    return f"json_build_object('total', {total}, 'rows', {_list(item, rows, order)})"


def _pair(row: str, parent: str | None) -> str:
    return f"json_build_array({row}, {parent or 'NULL'})"


def _attempts(with_quiz: bool) -> str:
    quiz = _one(Quiz, "q", "quizzes", "q.id = x.quiz_id") if with_quiz else None
    item = _pair(json_object(QuizAttempt, "x", ("answers", "feedback")), quiz)
    return _page("quiz_attempts", "submitted_at DESC, id", item, "attempts")


def _achievements() -> str:
    source = (
        "achievement_awards w JOIN achievements a ON a.id = w.achievement_id"
        " WHERE w.user_id = u.id AND a.kind = 'achievement'"
    )
    item = f"json_build_array({json_object(Achievement, 'a')}, w.awarded_at)"
    return _list(item, source, "w.awarded_at, a.code")


def _owned(model: type[DeclarativeBase], table: str, order: str, parent: str | None) -> str:
    item = _pair(json_object(model, "x"), parent)
    return _list(item, f"{table} x WHERE x.user_id = u.id", order)


def _parts(selection: LearnerSelection) -> list[str]:
    parts = [f"'account', {json_object(User, 'u', SECRET_COLUMNS)}"]
    if selection.profile:
        parts.append(f"'profile', {_one(Profile, 'p', 'profiles', 'p.user_id = u.id')}")
    if selection.preferences:
        on = "lp.user_id = u.id"
        parts.append(
            f"'preferences', {_one(LearningPreferences, 'lp', 'learning_preferences', on)}"
        )
    if selection.figures:
        parts.append(f"'figures', {FIGURES}")
    if selection.progress:
        page = progress_page(
            selection.progress.pick, user="u.id", skip=":progress_offset", take=":progress_limit"
        )
        parts.append(f"'progress', {page}")
    if selection.attempts:
        parts.append(f"'attempts', {_attempts(selection.attempts.with_parent)}")
    if selection.achievements:
        parts.append(f"'achievements', {_achievements()}")
    if selection.enrollments:
        path = _one(LearningPath, "p", "learning_paths", "p.id = x.path_id")
        paths = path if selection.enrollment_paths else None
        order = "x.enrolled_at, x.path_id"
        parts.append(f"'enrollments', {_owned(PathEnrollment, 'path_enrollments', order, paths)}")
    if selection.skill_mastery:
        skill = _one(Skill, "s", "skills", "s.id = x.skill_id")
        skills = skill if selection.mastery_skills else None
        order = "x.current_mastery DESC, x.skill_id"
        parts.append(f"'mastery', {_owned(SkillMastery, 'skill_mastery', order, skills)}")
    return parts


@cache
def _statement(shape: LearnerSelection) -> Statement:
    """One statement per shape of selection (pages' numbers are parameters)."""
    parts = ",\n  ".join(_parts(shape))
    return psycopg_text(
        f"SELECT CAST(json_build_object(\n  {parts}\n) AS text)\n"
        "FROM users u WHERE u.id = :user AND u.is_active"
    )


def _shape(selection: LearnerSelection) -> LearnerSelection:
    progress, attempts = selection.progress, selection.attempts
    return LearnerSelection(
        **{
            **selection.__dict__,
            "progress": ProgressWanted(0, 0, progress.pick) if progress else None,
            "attempts": PageWanted(0, 0, attempts.with_parent) if attempts else None,
        }
    )


def _params(user_id: uuid.UUID, selection: LearnerSelection) -> dict[str, Any]:
    # the user is the caller: `my...` relations of the progress subtree match them
    params: dict[str, Any] = {"user": user_id, "since": streak_since(), "viewer": user_id}
    for name, page in (("progress", selection.progress), ("attempts", selection.attempts)):
        if page is not None:
            params[f"{name}_offset"] = page.offset
            params[f"{name}_limit"] = page.limit
    return params


async def read_learner(
    connection: ReadConnection, *, user_id: uuid.UUID, selection: LearnerSelection
) -> LearnerRead | None:
    """The active user and the selected parts of their own views; None for no such user."""
    sql = _statement(_shape(selection))
    found = await read_document(connection, sql, _params(user_id, selection))
    return None if found is None else _learner_of(found, selection)


def _pairs(model: type[R], parent: type[T], items: list[list[Any]]) -> list[tuple[R, T | None]]:
    return [(record(model, row), record(parent, up) if up else None) for row, up in items]


def _page_of(
    model: type[R], parent: type[T], values: dict[str, Any], wanted: PageWanted
) -> PageRead[R, T]:
    return PageRead(wanted, _pairs(model, parent, values["rows"]), int(values["total"]))


def _learner_of(found: dict[str, Any], selection: LearnerSelection) -> LearnerRead:
    read = LearnerRead(account=record(User, found["account"]), selected=selection)
    if selection.profile and found["profile"]:
        read.profile = record(Profile, found["profile"])
    if selection.preferences and found["preferences"]:
        read.preferences = record(LearningPreferences, found["preferences"])
    if selection.figures:
        read.figures = figures_of(found["figures"])
    if selection.progress:
        page = page_of(selection.progress.pick, found["progress"])
        read.progress = ProgressRead(selection.progress, page)
    if selection.attempts:
        read.attempts = _page_of(QuizAttempt, Quiz, found["attempts"], selection.attempts)
    if selection.achievements:
        awards = found["achievements"]
        read.achievements = [(record(Achievement, a), datetime.fromisoformat(t)) for a, t in awards]
    if selection.enrollments:
        read.enrollments = _pairs(PathEnrollment, LearningPath, found["enrollments"])
    if selection.skill_mastery:
        read.skill_mastery = _pairs(SkillMastery, Skill, found["mastery"])
    return read
