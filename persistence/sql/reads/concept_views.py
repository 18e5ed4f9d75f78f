"""Concepts by name with the views selected under them, in one statement.

Each concept's JSON holds its picked fields (the caller's progress among them when picked, as
the concepts page reads them: shapes.json_item, an Answer's text when the selection is all
columns) and, when asked, its quizzes (each with its
questions when asked) as whole rows of their models, in the orders their loaders use:
quizzes by creation then id, questions by their index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persistence.sql.models import Question, Quiz
from persistence.sql.reads.entities import CONCEPT
from persistence.sql.reads.records import json_object as row_object
from persistence.sql.reads.records import record, records
from persistence.sql.reads.rows import json_values, statement_cache
from persistence.sql.reads.shapes import json_item, read_back

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer
    from persistence.sql.reads.shapes import Pick

__all__ = ["ConceptRead", "QuizRead", "QuizzesWanted", "concepts_by_name"]


@dataclass(frozen=True)
class QuizzesWanted:
    """Whether a concept's quizzes are read, and their questions with them."""

    questions: bool = False


@dataclass(frozen=True)
class QuizRead:
    quiz: Quiz
    questions: list[Question] | None  # None: not read


@dataclass(frozen=True)
class ConceptRead:
    concept: dict[str, Any] | str  # as picked (shapes.read_back): a Pick's values, an Answer's text
    quizzes: list[QuizRead] | None  # None: not read


def _list(item: str, source: str, order: str) -> str:
    return f"(SELECT coalesce(json_agg({item} ORDER BY {order}), '[]') FROM {source})"


def _quizzes(wanted: QuizzesWanted) -> str:
    questions = (
        _list(row_object(Question, "qu"), "questions qu WHERE qu.quiz_id = q.id", "qu.order_index")
        if wanted.questions
        else "NULL"
    )
    item = f"json_build_array({row_object(Quiz, 'q')}, {questions})"
    return _list(item, "quizzes q WHERE q.concept_id = t0.id", "q.created_at, q.id")


def _statement(pick: Pick | Answer, quizzes: QuizzesWanted | None) -> str:
    parts = [f"'concept', {json_item(CONCEPT, pick, 't0')}"]
    if quizzes is not None:
        parts.append(f"'quizzes', {_quizzes(quizzes)}")
    return f"""
SELECT CAST(json_build_array(t0.name, json_build_object({", ".join(parts)})) AS text)
FROM concepts t0 WHERE t0.name = ANY(CAST(:names AS text[]))
"""


_statements = statement_cache(_statement)


def _quiz(item: list[Any]) -> QuizRead:
    quiz, questions = item
    return QuizRead(record(Quiz, quiz), None if questions is None else records(Question, questions))


def _read(pick: Pick | Answer, value: dict[str, Any]) -> ConceptRead:
    quizzes = value.get("quizzes")
    return ConceptRead(
        read_back(CONCEPT, pick, value["concept"]),
        None if quizzes is None else [_quiz(item) for item in quizzes],
    )


async def concepts_by_name(
    connection: ReadConnection,
    *,
    names: Sequence[str],
    pick: Pick | Answer,
    viewer: uuid.UUID | None,
    quizzes: QuizzesWanted | None,
) -> dict[str, ConceptRead]:
    """The concepts among names that exist, by name, each as picked with the views asked."""
    params = {"names": list(names), "viewer": viewer}
    found = await json_values(connection, _statements(pick, quizzes), params)
    return {name: _read(pick, value) for name, value in found}
