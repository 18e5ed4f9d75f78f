"""Live updates over WebSockets (graphql-transport-ws): sync status, progress, recommendations.

Each subscription first sends the current state, then one message per change. Authenticate in
connection_init with `{"Authorization": "Bearer <token>"}`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from resolvers.identity import signed_in_user
from resolvers.live import progress_changes, recommendation_changes, sync_status_changes
from schema.info import Info
from schema.limits import page_size
from schema.types.progress import ConceptProgressType
from schema.types.recommendation import RecommendationType
from schema.types.required import required
from schema.types.sync import SyncStatusType
from schema.types.user import UserType

__all__ = ["LiveSubscription", "MyProgressUpdate"]


@strawberry.type(description="Your progress after the knowledge graph applied a change of it.")
class MyProgressUpdate:
    changed: list[ConceptProgressType] = strawberry.field(
        description="The progress entries that changed (empty in the first message)."
    )
    me: UserType = strawberry.field(
        description="You, for anything else to read again: dashboard, enrolledPaths, ..."
    )


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="The sync status now, then whenever its figures change (re-read on every "
        "applied batch and at least every LIVE_SYNC_STATUS_INTERVAL_SECONDS; at most a few "
        "messages a second). Admins only."
    )
    async def sync_status_changed(self, info: Info) -> AsyncGenerator[SyncStatusType, None]:
        async for figures in sync_status_changes(info.context):
            yield SyncStatusType.from_figures(figures)

    @strawberry.subscription(
        description="A first message with nothing changed, then one each time the knowledge "
        "graph has applied changes of your progress, path enrollments or skill mastery (so "
        "what you read then already reflects them). Signed-in users."
    )
    async def my_progress_changed(self, info: Info) -> AsyncGenerator[MyProgressUpdate, None]:
        async for change in progress_changes(info.context):
            rows = [ConceptProgressType.from_row(row) for row in change.changed]
            me = UserType.from_row(required(await signed_in_user(info.context), "account"))
            yield MyProgressUpdate(changed=rows, me=me)

    @strawberry.subscription(
        description="Your recommendations now, then again each time the knowledge graph has "
        "applied a change of your progress (best first, like User.recommendations)."
    )
    async def recommendations_changed(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(description="At most this many (capped by MAX_PAGE_SIZE)."),
        ] = 10,
    ) -> AsyncGenerator[list[RecommendationType], None]:
        limit = page_size(info, first)
        async for found in recommendation_changes(info.context, limit=limit):
            yield [RecommendationType.from_found(one) for one in found]
