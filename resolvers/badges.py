"""The badge catalogue as clients read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.reads.badges import badge_catalogue
from resolvers.loaders.registry import read_session

if TYPE_CHECKING:
    from persistence.sql.models import Achievement
    from resolvers.context import Context

__all__ = ["badge_definitions"]


async def badge_definitions(context: Context) -> list[Achievement]:
    async with read_session(context.resources) as session:
        return await badge_catalogue(session)
