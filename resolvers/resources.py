"""The long-lived resources the API shares between requests, created in the app's lifespan."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neo4j import AsyncDriver
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from config.settings import Settings
    from persistence.sql.principals import PrincipalDirectory
    from persistence.sql.unit_of_work import Publisher
    from persistence.throttle import Throttle
    from resolvers.live_hub import LiveHub

__all__ = ["ApiResources", "SendMail", "StartReconciliation"]

# Enqueue a recorded reconciliation run: (run id, entity types or None, repair).
StartReconciliation = Callable[[uuid.UUID, list[str] | None, bool], None]
# Enqueue committed mail-outbox messages by id (raises if the broker is unreachable).
SendMail = Callable[[Sequence[uuid.UUID]], None]


@dataclass(frozen=True)
class ApiResources:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    driver: AsyncDriver
    publish: Publisher
    start_reconciliation: StartReconciliation
    send_mail: SendMail
    principals: PrincipalDirectory
    throttle: Throttle
    live: LiveHub
