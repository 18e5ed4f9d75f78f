"""Who a token names, as the token check needs it, read through a short cache that changes void.

PostgreSQL says when a user changes: a trigger on `users` (any UPDATE or DELETE, so a column
added later, such as a token generation, is covered too) sends the user's id on
CHANGES_CHANNEL. Each API process listens (persistence/sql/principal_changes.py) and drops that
user's entry; before every look-up it also reads, without waiting, whatever notifications have
already arrived. While the listening connection is down nothing is cached.

A token may name its sign-in (a refresh-token family): it then counts only while that sign-in
has a token not revoked. A trigger on `auth_tokens` says so on the same channel when one is
revoked, so a sign-out ends the sign-in's access tokens at once too.

The process that commits such a change does not wait for the notification to come back: its
unit of work tells the process's directories right after the commit
(persistence/sql/principal_writes.py, `forget_in_this_process`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cachetools import TTLCache
from sqlalchemy import exists, literal, select, update

from persistence.sql.models import AuthToken, User

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Iterable

    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

__all__ = [
    "CHANGES_CHANNEL",
    "PrincipalDirectory",
    "TokenSubject",
    "forget_in_this_process",
    "read_token_subject",
    "revoke_tokens",
]

CHANGES_CHANNEL = "learngraph_principal_changes"
CACHED_USERS = 10_000


@dataclass(frozen=True)
class TokenSubject:
    """What the token check compares with a token: the active user's current role and the
    token generation every valid token of theirs carries."""

    role: str
    token_generation: int
    session_live: bool = True  # the sign-in asked about is not revoked (True when none asked)


def _session_live(user_id: uuid.UUID, session_id: uuid.UUID | None) -> object:
    if session_id is None:
        return literal(True)
    return exists().where(
        AuthToken.family_id == session_id,
        AuthToken.user_id == user_id,
        AuthToken.kind == "refresh",
        AuthToken.revoked_at.is_(None),
    )


async def read_token_subject(
    engine: AsyncEngine, *, user_id: uuid.UUID, session_id: uuid.UUID | None = None
) -> TokenSubject | None:
    """The active user's token subject; None for an unknown or deactivated user."""
    live = _session_live(user_id, session_id).label("live")  # type: ignore[attr-defined]
    query = select(User.role, User.token_generation, live).where(User.id == user_id, User.is_active)
    async with engine.connect() as connection:
        row = (await connection.execute(query)).one_or_none()
    return None if row is None else TokenSubject(row.role, row.token_generation, bool(row.live))


async def revoke_tokens(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Every access token the user holds stops working once the session commits (sign-out
    everywhere, a reset). Role, activation and password changes do this by themselves: a
    trigger on `users` moves the generation on."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(token_generation=User.token_generation + 1)
        .execution_options(synchronize_session=False)
    )


class PrincipalDirectory:
    """Token subjects by user id (and sign-in), cached for at most `seconds` while changes are
    being heard; a change to a user forgets every sign-in of theirs."""

    def __init__(self, engine: AsyncEngine, *, seconds: float) -> None:
        self._engine = engine
        self._cache: TTLCache[uuid.UUID, dict[uuid.UUID | None, TokenSubject | None]] = TTLCache(
            maxsize=CACHED_USERS, ttl=seconds or 1
        )
        self._enabled = seconds > 0
        self._listening = False
        self._changes = 0  # grows with every change heard, so a read racing one is not kept
        # set by the listener: apply the notifications that have already arrived
        self.catch_up: Callable[[], None] = _nothing
        _directories.add(self)

    @property
    def caching(self) -> bool:
        return self._listening

    async def subject(
        self, *, user_id: uuid.UUID, session_id: uuid.UUID | None = None
    ) -> TokenSubject | None:
        self.catch_up()
        sessions = self._cache.get(user_id) if self._listening else None
        if sessions is not None and session_id in sessions:
            return sessions[session_id]
        changes_before = self._changes
        found = await read_token_subject(self._engine, user_id=user_id, session_id=session_id)
        if self._listening and self._changes == changes_before:
            kept = self._cache.get(user_id) or {}
            self._cache[user_id] = {**kept, session_id: found}
        return found

    def changed(self, user_id: uuid.UUID | None) -> None:
        """Forget one user, or everyone (None: changes may have been missed)."""
        self._changes += 1
        if user_id is None:
            self._cache.clear()
        else:
            self._cache.pop(user_id, None)

    def listening(self, heard: bool) -> None:
        """Whether changes are being heard; caching happens only while they are."""
        self.changed(None)
        self._listening = heard and self._enabled


def _nothing() -> None:
    return None


# Every directory of this process (one per API app), told of the changes it commits itself.
_directories: weakref.WeakSet[PrincipalDirectory] = weakref.WeakSet()


def forget_in_this_process(user_ids: Iterable[uuid.UUID] | None) -> None:
    """This process committed a change to these users (None: to anyone): its directories
    forget them now rather than when the notification comes back."""
    for directory in list(_directories):
        if user_ids is None:
            directory.changed(None)
        for user_id in user_ids or ():
            directory.changed(user_id)
