"""Reconciliation and conflict resolution for admins."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.conflicts import resolve_one_conflict, sync_conflicts
from resolvers.reconciliation import reconciliation_runs, run_reconciliation
from schema.errors import raising_errors
from schema.info import Info
from schema.limits import page_size
from schema.payloads import Payload, SyncedPayload
from schema.types.enums import ResolutionStrategy
from schema.types.pagination import After, Connection, First, build_connection, decode_cursor
from schema.types.reconciliation import ReconciliationRunType, SyncConflictType

__all__ = ["ReconciliationMutation", "ReconciliationQuery"]


@strawberry.type(description="The result of starting a reconciliation run.")
class ReconciliationPayload(Payload):
    run: ReconciliationRunType | None = strawberry.field(
        default=None,
        description="The run just started: status RUNNING with zero counts, because a worker "
        "runs it in the background (a full run can take minutes). Poll reconciliationRuns for "
        "its growing counts and final status. FAILED at once if no worker queue was reachable.",
    )


@strawberry.type(description="The result of settling a conflict.")
class ResolveConflictPayload(SyncedPayload):
    conflict: SyncConflictType | None = strawberry.field(
        default=None, description="The conflict as settled; null on failure."
    )


@strawberry.type
class ReconciliationQuery:
    @strawberry.field(description="Past reconciliation runs, newest first (admins).")
    async def reconciliation_runs(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[ReconciliationRunType] | None:
        start = decode_cursor(after)
        limit = page_size(info, first)
        page = await raising_errors(
            lambda: reconciliation_runs(info.context, offset=start, limit=limit)
        )
        return build_connection(
            page.rows, start=start, total=page.total, to_node=ReconciliationRunType.from_row
        )

    @strawberry.field(description="Sync conflicts, newest first; resolved filters (admins).")
    async def sync_conflicts(
        self,
        info: Info,
        resolved: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only settled ones; false: only open ones; all without it."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[SyncConflictType] | None:
        start = decode_cursor(after)
        limit = page_size(info, first)
        page = await raising_errors(
            lambda: sync_conflicts(info.context, resolved=resolved, offset=start, limit=limit)
        )
        return build_connection(
            page.rows, start=start, total=page.total, to_node=SyncConflictType.from_row
        )


@strawberry.type
class ReconciliationMutation:
    @strawberry.mutation(
        description="Compare PostgreSQL with Neo4j and repair the graph (admins). entityTypes "
        "limits the run (e.g. concept, concept_relation; all when null); repair false only "
        "reports. Returns at once with the run in status RUNNING: see the run field."
    )
    async def run_reconciliation(
        self,
        info: Info,
        entity_types: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only these entity types (e.g. concept, concept_relation); all without it."
            ),
        ] = None,
        repair: Annotated[
            bool | None,
            strawberry.argument(
                description="false: only report what differs; repair it otherwise."
            ),
        ] = True,
    ) -> ReconciliationPayload:
        row = await run_reconciliation(
            info.context,
            entity_types,
            repair is not False,
            start=info.context.resources.start_reconciliation,
        )
        return ReconciliationPayload(run=ReconciliationRunType.from_row(row))

    @strawberry.mutation(
        description="Resolve an open sync conflict with a strategy (admins): the winning state "
        "is written to PostgreSQL with a version bump, then synced back to the graph."
    )
    async def resolve_conflict(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The conflict's id.")],
        strategy: Annotated[
            ResolutionStrategy, strawberry.argument(description="How to settle it.")
        ],
        notes: Annotated[
            str | None, strawberry.argument(description="Why, for the record.")
        ] = None,
    ) -> ResolveConflictPayload:
        resolved = await resolve_one_conflict(info.context, id, str(strategy.value), notes)
        return ResolveConflictPayload(
            conflict=SyncConflictType.from_row(resolved.conflict),
            sync_token=resolved.sync_token,
        )
