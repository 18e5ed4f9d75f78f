"""What `me` reads in one statement: the parts of the user's own views the request selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError

from persistence.sql.reads.learner import LearnerSelection, PageWanted
from schema.limits import page_size
from schema.lookahead import children, reaches
from schema.types.pagination import decode_cursor

if TYPE_CHECKING:
    from strawberry.types.nodes import SelectedField

    from schema.info import Info

__all__ = ["own_selection"]


def _int(value: object) -> int | None:
    """An Int argument: a literal's text (as the look-ahead gives it) or a variable's value."""
    return None if value is None else int(str(value))


def _page(info: Info, field: SelectedField | None, *parent: str) -> PageWanted | None:
    """The page a list field asks for; None (left to the field) when its arguments are bad,
    so that the field itself reports them."""
    if field is None:
        return None
    try:
        offset = decode_cursor(field.arguments.get("after"))
        limit = page_size(info, _int(field.arguments.get("first")))
    except GraphQLError:
        return None
    return PageWanted(offset, limit, with_parent=reaches(field, *parent))


def own_selection(info: Info) -> LearnerSelection:
    """The parts of `me` to read with the account (info is the `me` field's)."""
    selected = children(info)
    enrolled = selected.get("enrolledPaths")
    mastery = selected.get("skillMastery")
    return LearnerSelection(
        profile="profile" in selected,
        preferences="preferences" in selected,
        figures="dashboard" in selected,
        progress=_page(info, selected.get("progress"), "edges", "node", "concept"),
        attempts=_page(info, selected.get("quizAttempts"), "edges", "node", "quiz"),
        achievements="achievements" in selected,
        enrollments=enrolled is not None,
        enrollment_paths=enrolled is not None and reaches(enrolled, "path"),
        skill_mastery=mastery is not None,
        mastery_skills=mastery is not None and reaches(mastery, "skill"),
    )
