"""Read-your-writes: a request presenting `X-Sync-Token` waits until the graph applied it.

The wait is bounded by settings.sync_wait_seconds and happens before any field resolves; the
response says how it ended in `extensions.sync`: {"applied", "waitedMs"} (and "pending", the
events still not applied, when applied is false).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.context import Context
from resolvers.sync_tokens import SyncWait, parse_sync_token, wait_until_applied

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["HEADER", "ReadYourWrites"]

HEADER = "X-Sync-Token"


def _refusal(token: str) -> ExecutionResult:
    shown = token if len(token) <= 40 else token[:40] + "..."
    error = GraphQLError(
        f"the {HEADER} header is not a sync token: {shown!r} (expected lg1.<seq>[.<seq>...], "
        "as a mutation's syncToken returns it)",
        extensions={"code": "VALIDATION", "field": HEADER},
    )
    return ExecutionResult(data=None, errors=[error])


def _report(wait: SyncWait) -> dict[str, Any]:
    report: dict[str, Any] = {"applied": wait.applied, "waitedMs": wait.waited_ms}
    if not wait.applied:
        report["pending"] = wait.pending
    return report


class ReadYourWrites(SchemaExtension):
    """Waits for the outbox events a sync token names before the operation executes."""

    _wait: SyncWait | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        token = context.request.headers.get(HEADER) if isinstance(context, Context) else None
        if token is not None:
            await self._wait_for(context, token)
        yield

    async def _wait_for(self, context: Context, token: str) -> None:
        runs = parse_sync_token(token)
        if runs is None:
            self.execution_context.result = _refusal(token)
            return
        self._wait = await wait_until_applied(
            context.resources.sessions, runs, within=context.settings.sync_wait_seconds
        )

    def get_results(self) -> dict[str, Any]:
        return {"sync": _report(self._wait)} if self._wait else {}
