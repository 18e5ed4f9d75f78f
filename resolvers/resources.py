"""The long-lived resources the API shares between requests, created in the app's lifespan."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from neo4j import AsyncDriver
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from config.settings import Settings
    from domain.verified_tokens import VerifiedTokens
    from persistence.sql.principals import PrincipalDirectory
    from persistence.sql.read_pool import ReadPool
    from persistence.sql.unit_of_work import Publisher
    from persistence.throttle import Throttle
    from resolvers.live_hub import LiveHub

__all__ = ["ApiResources", "SendMail", "StartReconciliation"]

# Enqueue a recorded reconciliation run: (run id, entity types or None, repair).
StartReconciliation = Callable[[uuid.UUID, list[str] | None, bool], None]


class SendMail(Protocol):
    """Hands committed mail-outbox messages to the workers (tasks/mail.py MailHandOver)."""

    def __call__(self, message_ids: Sequence[uuid.UUID]) -> None:
        """Enqueue them without making the caller wait; never raises for the broker."""
        ...

    async def drain(self) -> None:
        """Wait for hand-overs still running (at shutdown)."""
        ...


@dataclass(frozen=True)
class ApiResources:
    settings: Settings
    engine: AsyncEngine
    reads: ReadPool  # the JSON reads' connections (persistence/sql/read_pool.py)
    sessions: async_sessionmaker[AsyncSession]
    driver: AsyncDriver
    publish: Publisher
    start_reconciliation: StartReconciliation
    send_mail: SendMail
    principals: PrincipalDirectory
    tokens: VerifiedTokens
    throttle: Throttle
    live: LiveHub
