"""The signed-in user with the parts of their own views a request selected, in one statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.sql.reads.learner import LearnerRead, LearnerSelection, read_learner
from resolvers.loaders.registry import reading

if TYPE_CHECKING:
    from resolvers.context import Context

__all__ = ["LearnerRead", "LearnerSelection", "own_views"]


async def own_views(context: Context, selection: LearnerSelection) -> LearnerRead | None:
    """The caller's account and selected views; None when nobody (active) is signed in."""
    principal = context.principal
    if principal is None:
        return None
    async with reading(context.resources) as connection:
        return await read_learner(connection, user_id=principal.user_id, selection=selection)
