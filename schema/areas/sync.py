"""Sync operations for admins: status figures, the outbox event list, retrying events."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.sync_admin import retry_sync_events, sync_events, sync_status
from schema.errors import raising_errors
from schema.info import Info
from schema.limits import page_size
from schema.payloads import SyncedPayload
from schema.types.enums import SyncEventStatus
from schema.types.pagination import After, Connection, First, build_connection, decode_cursor
from schema.types.sync import SyncEventType, SyncStatusType

__all__ = ["RetrySyncEventsPayload", "SyncMutation", "SyncQuery"]


@strawberry.type(description="The result of retrying sync events.")
class RetrySyncEventsPayload(SyncedPayload):
    retried: int = strawberry.field(default=0, description="How many events were sent again.")


@strawberry.type
class SyncQuery:
    @strawberry.field(description="Outbox figures and graph availability. Admins only.")
    async def sync_status(self, info: Info) -> SyncStatusType | None:
        figures = await raising_errors(lambda: sync_status(info.context))
        return SyncStatusType.from_figures(figures)

    @strawberry.field(description="Outbox events, newest first, optionally of one status. Admins.")
    async def sync_events(
        self,
        info: Info,
        status: Annotated[
            SyncEventStatus | None,
            strawberry.argument(description="Only events of this status; all without it."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[SyncEventType] | None:
        start = decode_cursor(after)
        limit = page_size(info, first)
        wanted = str(status.value) if status else None  # enum_value members type as definitions
        page = await raising_errors(
            lambda: sync_events(info.context, status=wanted, offset=start, limit=limit)
        )
        return build_connection(
            page.rows, start=start, total=page.total, to_node=SyncEventType.from_row
        )


@strawberry.type
class SyncMutation:
    @strawberry.mutation(
        description="Reset events to pending and enqueue them again: without ids every DEAD "
        "event; with ids those that are FAILED or DEAD (an unknown id changes nothing). Admins."
    )
    async def retry_sync_events(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="The events to retry; without it every DEAD event."),
        ] = None,
    ) -> RetrySyncEventsPayload:
        raw = None if ids is None else [str(event_id) for event_id in ids]
        result = await retry_sync_events(info.context, raw)
        return RetrySyncEventsPayload(retried=result.retried, sync_token=result.sync_token)
