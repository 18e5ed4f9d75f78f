"""The concepts page: a page of concepts by name with every picked field, and the count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.reads.entities import CONCEPT
from persistence.sql.reads.progress import JsonPage
from persistence.sql.reads.rows import json_values, statement_cache
from persistence.sql.reads.shapes import page_back, page_item, page_rows, page_window

if TYPE_CHECKING:
    import uuid
    from collections.abc import Mapping

    from persistence.sql.read_pool import ReadConnection
    from persistence.sql.reads.answers import Answer, Edges
    from persistence.sql.reads.shapes import Pick

__all__ = ["EQUAL_FILTERS", "concept_page", "search_pattern"]

# the attributes a page can be narrowed to one value of
EQUAL_FILTERS = ("domain", "category", "difficulty")
# a search term matches a name, the display name, a synonym or a key term; the separator is
# never typed by a person, so that no match spans two terms
SEARCHED = (
    "t0.name",
    "t0.display_name",
    "array_to_string(t0.synonyms, chr(31))",
    "array_to_string(t0.key_terms, chr(31))",
)


def search_pattern(term: str) -> str:
    """An ILIKE pattern finding the term anywhere, its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(equal: tuple[str, ...], searching: bool) -> str:
    wanted = [f"t0.{name} = :{name}" for name in equal]
    if searching:
        wanted.append("(" + " OR ".join(f"{e} ILIKE :pattern ESCAPE '\\'" for e in SEARCHED) + ")")
    return " AND ".join(wanted) or "TRUE"


def _concept_page(pick: Pick | Answer | Edges, equal: tuple[str, ...], searching: bool) -> str:
    where = _where(equal, searching)
    page, offset = page_window("concepts", where=where, order="t0.name", skip=":skip", take=":take")
    item = page_item(CONCEPT, pick, "t0", offset)
    rows = f"""coalesce((
    SELECT json_agg(page.obj ORDER BY page.name)
    FROM (SELECT {item} AS obj, t0.name FROM {page}) AS page), CAST('[]' AS json))"""
    return f"""
SELECT CAST(json_build_object(
  'total', (SELECT count(*) FROM concepts t0 WHERE {where}),
  'rows', {page_rows(pick, rows)}
) AS text)
"""


_statement = statement_cache(_concept_page)


async def concept_page(
    connection: ReadConnection,
    *,
    pick: Pick | Answer | Edges,
    viewer: uuid.UUID | None,
    offset: int,
    limit: int,
    equal: Mapping[str, str],
    search: str | None,
) -> JsonPage:
    """Concepts offset+1 .. offset+limit by name among those matching, and how many match
    (each row as picked, or an Answer's JSON text; for Edges, the text of them all).

    `equal` narrows to attributes of EQUAL_FILTERS; `search` (non-blank) matches names,
    synonyms and key terms, case-insensitively.
    """
    unknown = set(equal) - set(EQUAL_FILTERS)
    if unknown:
        raise ValueError(f"concepts cannot be narrowed by {sorted(unknown)[0]}")
    names = tuple(sorted(equal))
    searching = bool(search and search.strip())
    params = {**equal, "skip": offset, "take": limit, "viewer": viewer}
    if searching and search:
        params["pattern"] = search_pattern(search.strip())
    [value] = await json_values(connection, _statement(pick, names, searching), params)
    return JsonPage(page_back(CONCEPT, pick, value["rows"]), value["total"])
