"""What each write (and each filtered list) takes from its caller, typed.

The schema builds these from its GraphQL inputs (schema/inputs.py) with only the fields the
client set, enum values as the domain's members and ids as given. A command checks no
business rule (the resolvers do, naming the GraphQL field at fault); it fixes the shape and
remembers which fields were given (`gave`), so that a partial update changes only those: a
field given as null is set to null, one not given is left alone (`apply_to`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

from domain.difficulty import Difficulty
from domain.grading import QuestionKind
from domain.progress import ProgressStatus
from domain.relations import RelationKind
from domain.roles import Role

__all__ = [
    "CONCEPT_LISTS",
    "Answer",
    "AuditFilters",
    "Command",
    "ConceptChanges",
    "ConceptDetails",
    "ConceptDraft",
    "ConceptFilters",
    "CourseChanges",
    "CourseDraft",
    "LessonChanges",
    "LessonDraft",
    "MasteryAssessment",
    "PathDraft",
    "PathItem",
    "PreferenceChanges",
    "ProfileChanges",
    "ProgressReport",
    "QuizDraft",
    "QuizQuestion",
    "Registration",
    "RelationDraft",
    "RelationKey",
    "UserFilters",
    "input_name",
]


def input_name(name: str) -> str:
    """The GraphQL input field a command's field comes from (snake_case to camelCase)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Command(BaseModel):
    """A caller's input: frozen, no unknown fields, and which fields were given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def given(self, *, but: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The fields the caller set (or that have a default), by name, but those named in
        but; nested commands as dicts."""
        return self.model_dump(exclude_unset=True, exclude=set(but))

    def gave(self, name: str) -> bool:
        """Whether the caller set this field (to null, too) or it has a default."""
        return name in self.model_fields_set

    def given_null(self, names: Iterable[str]) -> list[str]:
        """Of these fields, those the caller set to null, in the order named."""
        return [name for name in names if self.gave(name) and getattr(self, name) is None]

    def apply_to(self, row: object, *, but: Collection[str] = ()) -> None:
        """Sets each field the caller gave, a null too, on the row's attribute of the same
        name, but those named in but: the one way a partial update writes its fields."""
        for name in type(self).model_fields:
            if name in self.model_fields_set and name not in but:
                setattr(row, name, getattr(self, name))


CONCEPT_LISTS = (
    "key_terms",
    "synonyms",
    "learning_objectives",
    "practical_applications",
    "real_world_examples",
)


class ConceptDetails(Command):
    description: str | None = None
    detailed_description: str | None = None
    domain: str | None = None
    category: str | None = None
    subcategory: str | None = None
    complexity_score: float | None = None
    cognitive_load: float | None = None
    key_terms: list[str] | None = None
    synonyms: list[str] | None = None
    learning_objectives: list[str] | None = None
    practical_applications: list[str] | None = None
    real_world_examples: list[str] | None = None

    @field_validator(*CONCEPT_LISTS)
    @classmethod
    def _null_list_is_empty(cls, value: list[str] | None) -> list[str]:
        """A list given as null is cleared: a concept's lists are never null."""
        return [] if value is None else value


class ConceptDraft(ConceptDetails):
    name: str
    display_name: str
    difficulty: Difficulty
    description: str = ""


class ConceptChanges(ConceptDetails):
    display_name: str | None = None
    difficulty: Difficulty | None = None
    expected_version: int | None = None


class ConceptFilters(Command):
    domain: str | None = None
    category: str | None = None
    difficulty: Difficulty | None = None
    search: str | None = None


class RelationKey(Command):
    source_id: str
    target_id: str
    kind: RelationKind


class RelationDraft(RelationKey):
    strength: float = 1.0
    reason: str | None = None


class CourseDraft(Command):
    title: str
    description: str = ""


class CourseChanges(Command):
    title: str | None = None
    description: str | None = None


class MasteryAssessment(Command):
    student_id: str
    skill_id: str
    mastery: float
    confidence: float


class Registration(Command):
    username: str
    email: str
    password: str
    role: Role = Role.STUDENT
    first_name: str | None = None
    last_name: str | None = None


class ProfileChanges(Command):
    first_name: str | None = None
    last_name: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    timezone: str | None = None
    language: str | None = None


class PreferenceChanges(Command):
    daily_goal_minutes: int | None = None
    preferred_difficulty: Difficulty | None = None
    content_types: list[str] | None = None
    dark_mode: bool | None = None
    notifications_enabled: bool | None = None

    @field_validator("content_types")
    @classmethod
    def _each_type_once(cls, value: list[str] | None) -> list[str] | None:
        """Content types named twice are kept once, in the order first named."""
        return None if value is None else list(dict.fromkeys(value))


class ProgressReport(Command):
    concept_id: str
    status: ProgressStatus
    progress_percent: float
    time_spent_seconds: int = 0


class QuizQuestion(Command):
    prompt: str
    kind: QuestionKind
    options: list[str] = Field(default_factory=list)
    correct_answers: list[str]
    points: int = 1


class QuizDraft(Command):
    concept_id: str
    title: str
    passing_score: int
    questions: list[QuizQuestion]


class Answer(Command):
    question_id: str
    answers: list[str]


class LessonDraft(Command):
    concept_id: str
    title: str
    summary: str = ""
    body: str = ""
    content_type: str = "text"
    duration_minutes: int = 10
    order_index: int | None = None


class LessonChanges(Command):
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    content_type: str | None = None
    duration_minutes: int | None = None
    order_index: int | None = None
    expected_version: int | None = None


class PathItem(Command):
    concept_id: str
    is_required: bool = True


class PathDraft(Command):
    title: str
    difficulty: Difficulty
    description: str = ""
    category: str | None = None
    estimated_hours: float | None = None
    target_audience: str | None = None
    items: list[PathItem] = Field(default_factory=list)


class UserFilters(Command):
    role: Role | None = None
    active: bool | None = None
    search: str | None = None
    email_verified: bool | None = None


class AuditFilters(Command):
    actor_id: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
