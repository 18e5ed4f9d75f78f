"""Connections per user across every API process, counted in Redis.

Each connection holds a member of a sorted set per user, scored by when it expires; live
processes renew theirs, so a process that died frees its slots once they expire.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import redis.asyncio as aioredis

__all__ = ["RENEW_SECONDS", "SLOT_TTL_SECONDS", "ConnectionSlots"]

SLOT_TTL_SECONDS = 60
RENEW_SECONDS = 20

# KEYS[1] the user's set; ARGV: now, expiry, member, cap. 1 when taken, 0 when the cap is reached.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


def _key(user_id: uuid.UUID) -> str:
    return f"learngraph:live:connections:{user_id}"


class ConnectionSlots:
    """Take a slot at connection_init, renew it while connected, give it back on close."""

    def __init__(self, client: aioredis.Redis, *, cap: int) -> None:
        self.client = client
        self.cap = cap
        self._take = client.register_script(_TAKE)
        self._held: dict[str, uuid.UUID] = {}  # member -> user

    async def take(self, user_id: uuid.UUID) -> str | None:
        """A slot's id, or None when the user already holds `cap` connections."""
        member = uuid.uuid4().hex
        now = time.time()
        args: list[str | float] = [
            now,
            now + SLOT_TTL_SECONDS,
            member,
            self.cap,
            SLOT_TTL_SECONDS * 2,
        ]
        if not await self._take(keys=[_key(user_id)], args=args):
            return None
        self._held[member] = user_id
        return member

    async def give_back(self, member: str) -> None:
        user_id = self._held.pop(member, None)
        if user_id is not None:
            await self.client.zrem(_key(user_id), member)

    async def renew(self) -> None:
        """Push back the expiry of every slot this process holds."""
        expiry = time.time() + SLOT_TTL_SECONDS
        async with self.client.pipeline(transaction=False) as pipe:
            for member, user_id in list(self._held.items()):
                pipe.zadd(_key(user_id), {member: expiry}, xx=True)
            await pipe.execute()
