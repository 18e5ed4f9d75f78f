"""SQL: a learner's dashboard figures, correlated to the user `u.id` of the enclosing statement.

One JSON object per user: the mean progress, the completed and mastered counts, the study
seconds (an ended session its length, an open one up to its last activity), the concepts
available (not done, every prerequisite done) and the days (UTC) with a study session since
`:since`, from which the streak is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from domain.progress import DONE, ProgressStatus
from domain.relations import RelationKind
from persistence.sql.reads.documents import read_documents
from persistence.sql.reads.rows import psycopg_text

if TYPE_CHECKING:
    import uuid

    from persistence.sql.read_pool import ReadConnection

__all__ = ["FIGURES", "STREAK_WINDOW", "Figures", "figures_of", "read_figures", "streak_since"]

STREAK_WINDOW = timedelta(days=400)


def _text(value: str) -> str:
    """A constant of the domain as an SQL literal (the domain's words, never input)."""
    return "'" + value.replace("'", "''") + "'"


DONE_SQL = "(" + ", ".join(_text(status) for status in DONE) + ")"
MASTERED = _text(ProgressStatus.MASTERED)
PREREQUISITE = _text(RelationKind.PREREQUISITE)


def _done(concept: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM concept_progress d WHERE d.user_id = u.id"
        f" AND d.concept_id = {concept} AND d.status IN {DONE_SQL})"
    )


FIGURES = f"""json_build_object(
  'average', (SELECT avg(progress_percent) FROM concept_progress WHERE user_id = u.id),
  'completed', (SELECT count(*) FROM concept_progress
                WHERE user_id = u.id AND status IN {DONE_SQL}),
  'mastered', (SELECT count(*) FROM concept_progress
               WHERE user_id = u.id AND status = {MASTERED}),
  'spent', (SELECT sum(CASE WHEN s.ended_at IS NOT NULL THEN s.duration_seconds
                            ELSE floor(extract(epoch FROM s.last_activity_at - s.started_at)) END)
            FROM learning_sessions s WHERE s.user_id = u.id),
  'available', (SELECT count(*) FROM concepts c WHERE NOT {_done("c.id")}
                AND NOT EXISTS (SELECT 1 FROM concept_relations r
                                WHERE r.target_id = c.id AND r.kind = {PREREQUISITE}
                                AND NOT {_done("r.source_id")})),
  'days', (SELECT array_agg(DISTINCT (timezone('UTC', s.started_at))::date)
           FROM learning_sessions s WHERE s.user_id = u.id AND s.started_at >= :since)
)"""


@dataclass(frozen=True)
class Figures:
    """The figures of one user as read; the streak is counted from `days`."""

    average: float
    completed: int
    mastered: int
    spent: int
    available: int
    days: tuple[date, ...]


def figures_of(values: dict[str, Any]) -> Figures:
    return Figures(
        average=float(values["average"] or 0),
        completed=int(values["completed"] or 0),
        mastered=int(values["mastered"] or 0),
        spent=int(values["spent"] or 0),
        available=int(values["available"] or 0),
        days=tuple(date.fromisoformat(day) for day in values["days"] or ()),
    )


def streak_since() -> datetime:
    """The earliest study session a streak is counted from."""
    return datetime.now(UTC) - STREAK_WINDOW


BATCH = psycopg_text(
    f"SELECT u.id, CAST({FIGURES} AS text) FROM unnest(CAST(:ids AS uuid[])) AS u(id)"
)


async def read_figures(
    connection: ReadConnection, *, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Figures]:
    """The figures of each of these users, in one statement."""
    found = await read_documents(connection, BATCH, {"ids": user_ids, "since": streak_since()})
    return {user_id: figures_of(values) for user_id, values in found}
