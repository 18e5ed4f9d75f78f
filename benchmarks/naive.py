"""The naive baseline: a small strawberry schema whose resolvers query once per item.

This is the common first implementation of a GraphQL API: every field fetches what it needs by
itself (a SQL statement or a Cypher query per parent and per list item), with no DataLoader.
It accepts the same operation documents as the product for the fields benchmarked, and is
served the same way (uvicorn, one process) so that the comparison is fair.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import TYPE_CHECKING, Any

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from benchmarks.naive_types import (
    Concept,
    ConceptConnection,
    ConceptEdge,
    ConceptFilter,
    Info,
    NaiveContext,
    PageInfo,
    fetch_all,
    fetch_one,
    load_concept,
)
from benchmarks.naive_user import LearningPath, User, load_path
from config.settings import get_settings
from persistence.graph.driver import make_async_driver
from persistence.sql.database import make_async_engine

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.requests import Request

__all__ = ["create_naive_app"]


def _offset(after: str | None) -> int:
    from schema.types.pagination import decode_cursor

    return max(decode_cursor(after), 0) if after else 0


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Info) -> User | None:
        user_id = info.context.user_id
        if user_id is None:
            return None
        row = await fetch_one(info, "SELECT id, username, role FROM users WHERE id = :u", u=user_id)
        return User(id=strawberry.ID(str(row[0])), username=row[1], role=row[2]) if row else None

    @strawberry.field
    async def concept(self, info: Info, name: str) -> Concept | None:
        return await load_concept(info, "name", name)

    @strawberry.field
    async def concepts(
        self,
        info: Info,
        filter: ConceptFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ConceptConnection:
        from schema.types.pagination import encode_cursor

        limit, offset = first or 20, _offset(after)
        total = (await fetch_one(info, "SELECT count(*) FROM concepts"))[0]
        ids = await fetch_all(
            info, "SELECT id FROM concepts ORDER BY name LIMIT :l OFFSET :o", l=limit, o=offset
        )
        nodes = [await load_concept(info, "id", concept_id) for (concept_id,) in ids]
        edges = [
            ConceptEdge(cursor=encode_cursor(offset + i + 1), node=n)
            for i, n in enumerate(nodes)
            if n
        ]
        end = edges[-1].cursor if edges else None
        return ConceptConnection(
            total_count=total,
            edges=edges,
            page_info=PageInfo(has_next_page=offset + limit < total, end_cursor=end),
        )

    @strawberry.field
    async def learning_path(self, info: Info, id: strawberry.ID) -> LearningPath | None:
        return await load_path(info, uuid.UUID(str(id)))


class NaiveGraphQL(GraphQL[NaiveContext, None]):
    async def get_context(self, request: Request, response: Any) -> NaiveContext:  # type: ignore[override]
        return NaiveContext(request.app.state.engine, request.app.state.driver, request)


def create_naive_app() -> Starlette:
    settings = get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = make_async_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        app.state.driver = make_async_driver(settings)
        try:
            yield
        finally:
            await app.state.driver.close()
            await app.state.engine.dispose()

    schema = strawberry.Schema(query=Query)
    return Starlette(
        routes=[Route("/graphql", NaiveGraphQL(schema), methods=["POST"])], lifespan=lifespan
    )
