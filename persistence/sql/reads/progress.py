"""A learner's progress, a page per user: every picked field of each row and of its concept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persistence.sql.reads.entities import PROGRESS
from persistence.sql.reads.rows import json_values, statement_cache
from persistence.sql.reads.shapes import page_back, page_item, page_rows, page_window

if TYPE_CHECKING:
    import uuid
    from collections.abc import Sequence

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.shapes import Pick

__all__ = ["JsonPage", "PageWanted", "page_of", "progress_page", "progress_pages"]


@dataclass(frozen=True)
class PageWanted:
    """One user's rows offset+1 .. offset+limit."""

    user_id: uuid.UUID
    offset: int
    limit: int


@dataclass(frozen=True)
class JsonPage:
    rows: Any  # each row as picked or an Answer's JSON text; for Edges, the text of them all
    total: int


ORDER = "t0.updated_at DESC, t0.concept_id"


def progress_page(pick: Pick | Answer | Edges, *, user: str, skip: str, take: str) -> str:
    """SQL: the JSON of one user's page of progress (`user`, `skip` and `take` are SQL), its
    rows as picked and its total."""
    page, offset = page_window(
        "concept_progress", where=f"t0.user_id = {user}", order=ORDER, skip=skip, take=take
    )
    item = page_item(PROGRESS, pick, "t0", offset)
    rows = f"""coalesce((
    SELECT json_agg(page.obj ORDER BY page.updated_at DESC, page.concept_id)
    FROM (SELECT {item} AS obj, t0.updated_at, t0.concept_id FROM {page}) AS page),
    CAST('[]' AS json))"""
    total = f"(SELECT count(*) FROM concept_progress n WHERE n.user_id = {user})"
    return f"json_build_object('total', {total}, 'rows', {page_rows(pick, rows)})"


def page_of(pick: Pick | Answer | Edges, value: dict[str, Any]) -> JsonPage:
    """The page a progress_page's JSON holds."""
    return JsonPage(page_back(PROGRESS, pick, value["rows"]), value["total"])


def _progress_pages(pick: Pick | Answer | Edges) -> str:
    page = progress_page(pick, user="k.user_id", skip="k.skip", take="k.take")
    return f"""
SELECT CAST({page} AS text)
FROM unnest(CAST(:users AS uuid[]), CAST(:skips AS int[]), CAST(:takes AS int[]))
  WITH ORDINALITY AS k(user_id, skip, take, ord)
ORDER BY k.ord
"""


_statement = statement_cache(_progress_pages)


async def progress_pages(
    connection: ReadConnection,
    *,
    pages: Sequence[PageWanted],
    pick: Pick | Answer | Edges,
    viewer: uuid.UUID | None,
) -> list[JsonPage]:
    """Each user's page of progress (most recently updated first) and total, in one statement."""
    params = {
        "users": [page.user_id for page in pages],
        "skips": [page.offset for page in pages],
        "takes": [page.limit for page in pages],
        "viewer": viewer,
    }
    found = await json_values(connection, _statement(pick), params)
    return [page_of(pick, value) for value in found]
