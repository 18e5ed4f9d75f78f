"""The naive baseline's types: every field fetches what it needs by itself.

This is the common first implementation of a GraphQL API: every field fetches what it needs by
itself (a SQL statement or a Cypher query per parent and per list item), with no DataLoader.
It accepts the same operation documents as the product for the fields benchmarked, and is
served the same way (uvicorn, one process) so that the comparison is fair.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import text
from strawberry.types import Info as StrawberryInfo

from benchmarks.direct_sql import ACTIVE_DAYS
from config.settings import get_settings
from domain.security import decode_token
from domain.streaks import streak_days

if TYPE_CHECKING:
    from neo4j import AsyncDriver
    from sqlalchemy.ext.asyncio import AsyncEngine
    from starlette.requests import Request

__all__ = [
    "Concept",
    "ConceptConnection",
    "ConceptEdge",
    "ConceptFilter",
    "Info",
    "NaiveContext",
    "PageInfo",
    "fetch_all",
    "fetch_one",
    "load_concept",
    "load_progress",
]


class NaiveContext:
    def __init__(self, engine: AsyncEngine, driver: AsyncDriver, request: Request) -> None:
        self.engine = engine
        self.driver = driver
        header = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        secret = get_settings().token_secret.get_secret_value()
        principal = decode_token(header, secret=secret) if header else None
        self.user_id = str(principal.user_id) if principal else None


Info = StrawberryInfo[NaiveContext, None]


async def fetch_all(info: Info, sql: str, **params: Any) -> list[Any]:
    async with info.context.engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def fetch_one(info: Info, sql: str, **params: Any) -> Any:
    rows = await fetch_all(info, sql, **params)
    return rows[0] if rows else None


@strawberry.type
class Profile:
    first_name: str | None
    last_name: str | None
    timezone: str


@strawberry.type
class Preferences:
    daily_goal_minutes: int
    preferred_difficulty: str
    dark_mode: bool


@strawberry.type
class Dashboard:
    user_id: strawberry.Private[str]

    @strawberry.field
    async def concepts_available(self, info: Info) -> int:
        row = await fetch_one(info, AVAILABLE, ids=[self.user_id])
        return int(row[1]) if row else 0

    @strawberry.field
    async def average_completion(self, info: Info) -> float:
        sql = "SELECT avg(progress_percent) FROM concept_progress WHERE user_id = :u"
        return float((await fetch_one(info, sql, u=self.user_id))[0] or 0)

    @strawberry.field
    async def time_spent_seconds(self, info: Info) -> int:
        sql = "SELECT coalesce(sum(duration_seconds), 0) FROM learning_sessions WHERE user_id = :u"
        return int((await fetch_one(info, sql, u=self.user_id))[0])

    @strawberry.field
    async def streak_days(self, info: Info) -> int:
        days = await fetch_all(info, ACTIVE_DAYS.replace("%(user)s", ":u"), u=self.user_id)
        return streak_days({row[0] for row in days}, datetime.now(UTC).date())

    @strawberry.field
    async def completed_count(self, info: Info) -> int:
        sql = "SELECT count(*) FROM concept_progress WHERE user_id = :u AND status IN ('completed', 'mastered')"
        return int((await fetch_one(info, sql, u=self.user_id))[0])

    @strawberry.field
    async def mastered_count(self, info: Info) -> int:
        sql = "SELECT count(*) FROM concept_progress WHERE user_id = :u AND status = 'mastered'"
        return int((await fetch_one(info, sql, u=self.user_id))[0])


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Question:
    id: strawberry.ID
    prompt: str
    kind: str
    options: list[str]
    points: int


@strawberry.type
class Quiz:
    id: strawberry.ID
    title: str
    passing_score: int

    @strawberry.field
    async def questions(self, info: Info) -> list[Question]:
        ids = await fetch_all(
            info, "SELECT id FROM questions WHERE quiz_id = :q ORDER BY order_index", q=self.id
        )
        found = []
        for (question_id,) in ids:
            row = await fetch_one(
                info,
                "SELECT id, prompt, kind, options, points FROM questions WHERE id = :i",
                i=question_id,
            )
            found.append(
                Question(
                    id=strawberry.ID(str(row[0])),
                    prompt=row[1],
                    kind=row[2],
                    options=row[3],
                    points=row[4],
                )
            )
        return found


async def load_quiz(info: Info, quiz_id: Any) -> Quiz:
    row = await fetch_one(
        info, "SELECT id, title, passing_score FROM quizzes WHERE id = :i", i=quiz_id
    )
    return Quiz(id=strawberry.ID(str(row[0])), title=row[1], passing_score=row[2])


# concepts not done whose every prerequisite is done, for the users in :ids
AVAILABLE = """
SELECT u.id AS user_id, count(*) AS available
FROM unnest(CAST(:ids AS uuid[])) AS u(id) CROSS JOIN concepts c
WHERE NOT EXISTS (
    SELECT 1 FROM concept_progress p
    WHERE p.user_id = u.id AND p.concept_id = c.id AND p.status IN ('completed', 'mastered'))
  AND NOT EXISTS (
    SELECT 1 FROM concept_relations r
    WHERE r.target_id = c.id AND r.kind = 'prerequisite' AND NOT EXISTS (
        SELECT 1 FROM concept_progress q
        WHERE q.user_id = u.id AND q.concept_id = r.source_id
          AND q.status IN ('completed', 'mastered')))
GROUP BY u.id
"""
CONCEPT_COLUMNS = (
    "id, name, display_name, description, detailed_description, domain, category, subcategory, "
    "difficulty, complexity_score, cognitive_load, key_terms, synonyms, learning_objectives, "
    "practical_applications, real_world_examples, version"
)


@strawberry.type
class ConceptProgress:
    concept_id: strawberry.Private[str]
    status: str
    progress_percent: float
    mastery_score: float
    updated_at: datetime

    @strawberry.field
    async def concept(self, info: Info) -> Concept | None:
        return await load_concept(info, "id", self.concept_id)


async def load_progress(info: Info, user_id: str, concept_id: Any) -> ConceptProgress | None:
    sql = "SELECT concept_id, status, progress_percent, mastery_score, updated_at FROM concept_progress WHERE user_id = :u AND concept_id = :c"
    row = await fetch_one(info, sql, u=user_id, c=concept_id)
    if row is None:
        return None
    return ConceptProgress(
        concept_id=str(row[0]),
        status=row[1],
        progress_percent=row[2],
        mastery_score=row[3],
        updated_at=row[4],
    )


@strawberry.type
class Concept:
    id: strawberry.ID
    name: str
    display_name: str
    description: str
    detailed_description: str | None
    domain: str | None
    category: str | None
    subcategory: str | None
    difficulty: str
    complexity_score: float | None
    cognitive_load: float | None
    key_terms: list[str]
    synonyms: list[str]
    learning_objectives: list[str]
    practical_applications: list[str]
    real_world_examples: list[str]
    version: int

    @strawberry.field
    async def prerequisites(self, info: Info, depth: int = 1) -> list[Concept]:
        """Level by level, one Cypher query per concept, then one SQL row per prerequisite."""
        seen: list[str] = []
        frontier = [str(self.id)]
        for _ in range(depth):
            found: list[str] = []
            for concept_id in frontier:
                records, _, _ = await info.context.driver.execute_query(
                    "MATCH (p:Concept)-[:PREREQUISITE]->(:Concept {id: $id}) RETURN p.id AS id ORDER BY p.name",
                    id=concept_id,
                    routing_="r",
                )
                found += [r["id"] for r in records if r["id"] not in seen and r["id"] not in found]
            seen += found
            frontier = found
        loaded = [await load_concept(info, "id", concept_id) for concept_id in seen]
        return [concept for concept in loaded if concept is not None]

    @strawberry.field
    async def quizzes(self, info: Info) -> list[Quiz]:
        ids = await fetch_all(
            info, "SELECT id FROM quizzes WHERE concept_id = :c ORDER BY title", c=self.id
        )
        return [await load_quiz(info, quiz_id) for (quiz_id,) in ids]

    @strawberry.field
    async def my_progress(self, info: Info) -> ConceptProgress | None:
        user_id = info.context.user_id
        return await load_progress(info, user_id, self.id) if user_id else None


async def load_concept(info: Info, column: str, value: Any) -> Concept | None:
    # column is "id" or "name", from this module only
    row = await fetch_one(
        info,
        f"SELECT {CONCEPT_COLUMNS} FROM concepts WHERE {column} = :v",  # noqa: S608
        v=value,
    )
    if row is None:
        return None
    values = dict(row._mapping)
    values["id"] = strawberry.ID(str(values["id"]))
    return Concept(**values)


@strawberry.type
class ConceptEdge:
    cursor: str
    node: Concept


@strawberry.type
class ConceptConnection:
    total_count: int
    edges: list[ConceptEdge]
    page_info: PageInfo


@strawberry.input
class ConceptFilter:
    domain: str | None = None
    category: str | None = None
    difficulty: str | None = None
    search: str | None = None
