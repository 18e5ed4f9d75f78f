"""Batch loads of concepts by name with the views selected under them (one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from persistence.sql.reads import concept_views
from persistence.sql.reads.concept_views import ConceptRead, QuizzesWanted
from resolvers.loaders.json_reads import Picked, by_pick

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterable

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer
    from persistence.sql.reads.shapes import Pick
    from resolvers.resources import ApiResources

__all__ = ["ConceptRead", "ConceptWanted", "QuizzesWanted", "concept_views_by_name"]


@dataclass(frozen=True)
class ConceptWanted:
    """A concept by name, and whether its quizzes (with their questions) are read with it."""

    name: str
    quizzes: QuizzesWanted | None = None


def _widest(wanted: Iterable[QuizzesWanted | None]) -> QuizzesWanted | None:
    """What reads every one of them (a key that asked less gets more, which it ignores)."""
    asked = [one for one in wanted if one is not None]
    return QuizzesWanted(any(one.questions for one in asked)) if asked else None


async def concept_views_by_name(
    resources: ApiResources, keys: list[Picked[ConceptWanted]]
) -> list[ConceptRead | None]:
    """Concepts as picked with their views, None where no concept has the name."""

    async def read(
        connection: ReadConnection,
        wanted: list[ConceptWanted],
        pick: Pick | Answer,
        viewer: uuid.UUID | None,
    ) -> list[ConceptRead | None]:
        names = list(dict.fromkeys(one.name for one in wanted))
        quizzes = _widest(one.quizzes for one in wanted)
        found = await concept_views.concepts_by_name(
            connection, names=names, pick=pick, viewer=viewer, quizzes=quizzes
        )
        return [found.get(one.name) for one in wanted]

    return await by_pick(resources, keys, read)
