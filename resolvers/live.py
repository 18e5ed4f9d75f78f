"""What the live subscriptions push: first the current state, then once per change.

A learner's feeds wake when a worker announces that the graph applied one of their changes
(so what they read then is already there); the operators' sync status is read again on such
notices and at least every LIVE_SYNC_STATUS_INTERVAL_SECONDS, and pushed only when it differs.
Pushes are spaced by at least LIVE_MIN_PUSH_INTERVAL_SECONDS. Each push reads with fresh
DataLoaders and checks again that the caller's account is still active.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import GraphQLError

from domain.errors import UserErrors
from domain.security import TokenRejectedError
from persistence.sync.admin import SyncFigures, read_sync_status
from resolvers.live_hub import LiveUnavailableError, Mailbox
from resolvers.loaders.learning import progress_of
from resolvers.recommendations import ConceptRecommendation, recommendations

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from persistence.sql.models import ConceptProgress
    from resolvers.context import Context

__all__ = ["ProgressChange", "progress_changes", "recommendation_changes", "sync_status_changes"]


@dataclass(frozen=True)
class ProgressChange:
    user_id: uuid.UUID
    changed: list[ConceptProgress]


def _refused(failure: UserErrors) -> GraphQLError:
    first = failure.errors[0]
    return GraphQLError(first.message, extensions={"code": first.code.value})


async def _checked(context: Context, *, admin: bool = False) -> uuid.UUID:
    """The caller, confirmed active now (with the role they have now)."""
    try:
        await context.confirm_principal()
    except TokenRejectedError as rejected:  # revoked or expired since the socket opened
        raise GraphQLError(rejected.message, extensions={"code": rejected.code}) from None
    try:
        principal = context.require_admin() if admin else context.require_user()
    except UserErrors as failure:
        raise _refused(failure) from None
    context.reset_loaders()
    context.degraded_fields.clear()  # what this push answers from SQL, not an earlier one
    return principal.user_id


class _Pacer:
    """Spaces pushes by the minimum interval (at most a few a second)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.last = 0.0

    async def pace(self) -> None:
        wait = self.last + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.last = time.monotonic()


async def _notices(context: Context, box: Mailbox, tick: float | None) -> AsyncIterator[set[str]]:
    """What arrived since the last push (an empty set after a tick without notices), paced."""
    pacer = _Pacer(context.settings.live_min_push_interval_seconds)
    while True:
        await box.wait(tick)
        await pacer.pace()
        yield box.take()


def _unavailable(error: LiveUnavailableError) -> GraphQLError:
    return GraphQLError(str(error), extensions={"code": "LIVE_UNAVAILABLE"})


async def sync_status_changes(context: Context) -> AsyncIterator[SyncFigures]:
    """The outbox figures now, then whenever they change. Admins only."""
    await _checked(context, admin=True)
    resources = context.resources
    interval = context.settings.live_sync_status_interval_seconds
    try:
        async with resources.live.mailbox(None) as box:
            last = await read_sync_status(resources.sessions, resources.driver)
            yield last
            async for _ in _notices(context, box, interval):
                await _checked(context, admin=True)
                figures = await read_sync_status(resources.sessions, resources.driver)
                if figures != last:
                    last = figures
                    yield figures
    except LiveUnavailableError as error:
        raise _unavailable(error) from None


async def _progress_rows(
    context: Context, user_id: uuid.UUID, concepts: set[str]
) -> list[ConceptProgress]:
    keys = [(user_id, uuid.UUID(concept)) for concept in sorted(concepts)]
    rows = await context.loaders.of(progress_of).load_many(keys)
    return [row for row in rows if row is not None]


async def progress_changes(context: Context) -> AsyncIterator[ProgressChange]:
    """Nothing changed yet, then each time the graph applied the caller's progress."""
    user_id = await _checked(context)
    try:
        async with context.resources.live.mailbox(str(user_id)) as box:
            yield ProgressChange(user_id, [])
            async for concepts in _notices(context, box, None):
                await _checked(context)
                yield ProgressChange(user_id, await _progress_rows(context, user_id, concepts))
    except LiveUnavailableError as error:
        raise _unavailable(error) from None


async def recommendation_changes(
    context: Context, *, limit: int
) -> AsyncIterator[list[ConceptRecommendation]]:
    """The caller's recommendations now, then after each of their changes the graph applied."""
    user_id = await _checked(context)
    try:
        async with context.resources.live.mailbox(str(user_id)) as box:
            yield await recommendations(context, user_id, limit=limit)
            async for _ in _notices(context, box, None):
                await _checked(context)
                yield await recommendations(context, user_id, limit=limit)
    except LiveUnavailableError as error:
        raise _unavailable(error) from None
