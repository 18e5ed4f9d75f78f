"""A concept by name and the views selected under it, read in one statement.

The concept's fields are picked as a SQL subtree (schema/sql_subtrees.py: the caller's
`myProgress` among them); its `quizzes`, with their `questions` when selected, come in the
same statement (persistence/sql/reads/concept_views.py). Those fields then answer without a
task, a DataLoader future or a statement each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from resolvers.loaders.concept_views import ConceptWanted, QuizzesWanted, concept_views_by_name
from resolvers.loaders.json_reads import Picked
from schema.sql_answers import read_of
from schema.sql_subtrees import CONCEPT_SUBTREE, built, selects_below
from schema.types.concept import ConceptType
from schema.types.quiz import QuizType

if TYPE_CHECKING:
    from resolvers.loaders.concept_views import ConceptRead
    from schema.info import Info

__all__ = ["concept_views"]


def _quizzes_wanted(info: Info) -> QuizzesWanted | None:
    if not selects_below(info, "quizzes"):
        return None
    return QuizzesWanted(questions=selects_below(info, "quizzes", "questions"))


def _concept_of(found: ConceptRead) -> ConceptType:
    # an Answer's text is built into an orjson.Fragment, which stands in for the instance
    concept: ConceptType = built(CONCEPT_SUBTREE, found.concept)
    if found.quizzes is not None and isinstance(concept, ConceptType):
        concept.known_quizzes = [QuizType.from_row(q.quiz, q.questions) for q in found.quizzes]
    return concept


async def concept_views(info: Info, name: str) -> ConceptType | None:
    """The concept named `name` as the current field selects it (the answer's own text when
    PostgreSQL can write it: schema/sql_answers.py), None when there is none."""
    wanted = ConceptWanted(name, _quizzes_wanted(info))
    key = Picked(wanted, read_of(CONCEPT_SUBTREE, info), info.context.viewer_id)
    found = await info.context.loaders.of(concept_views_by_name).load(key)
    return None if found is None else _concept_of(found)
