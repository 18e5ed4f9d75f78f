"""What `me` reads in one statement: the parts of the user's own views the request selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError

from persistence.sql.reads.learner import LearnerSelection, PageWanted, ProgressWanted
from schema.limits import page_size
from schema.lookahead import children, reaches
from schema.sql_answers import page_read_of
from schema.sql_subtrees import PROGRESS_SUBTREE
from schema.types.pagination import decode_cursor

if TYPE_CHECKING:
    from strawberry.types.nodes import SelectedField

    from schema.info import Info

__all__ = ["own_selection"]


def _int(value: object) -> int | None:
    """An Int argument: a literal's text (as the look-ahead gives it) or a variable's value."""
    return None if value is None else int(str(value))


def _bounds(info: Info, field: SelectedField) -> tuple[int, int] | None:
    """The offset and limit a list field asks for; None (left to the field) when its arguments
    are bad, so that the field itself reports them."""
    try:
        offset = decode_cursor(field.arguments.get("after"))
        limit = page_size(info, _int(field.arguments.get("first")))
    except GraphQLError:
        return None
    return offset, limit


def _page(info: Info, field: SelectedField | None, *parent: str) -> PageWanted | None:
    bounds = None if field is None else _bounds(info, field)
    if field is None or bounds is None:
        return None
    return PageWanted(*bounds, with_parent=reaches(field, *parent))


def _progress(info: Info, field: SelectedField | None) -> ProgressWanted | None:
    """The progress page, read as the progress subtree reads its pages."""
    bounds = None if field is None else _bounds(info, field)
    if bounds is None:
        return None
    return ProgressWanted(*bounds, page_read_of(PROGRESS_SUBTREE, info, "progress"))


def own_selection(info: Info) -> LearnerSelection:
    """The parts of `me` to read with the account (info is the `me` field's)."""
    selected = children(info)
    enrolled = selected.get("enrolledPaths")
    mastery = selected.get("skillMastery")
    return LearnerSelection(
        profile="profile" in selected,
        preferences="preferences" in selected,
        figures="dashboard" in selected,
        progress=_progress(info, selected.get("progress")),
        attempts=_page(info, selected.get("quizAttempts"), "edges", "node", "quiz"),
        achievements="achievements" in selected,
        enrollments=enrolled is not None,
        enrollment_paths=enrolled is not None and reaches(enrolled, "path"),
        skill_mastery=mastery is not None,
        mastery_skills=mastery is not None and reaches(mastery, "skill"),
    )
