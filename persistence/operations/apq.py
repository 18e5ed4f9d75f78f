"""Automatic persisted queries: documents by their sha256 in Redis, bounded in number and age.

Each document is a key with a TTL; a sorted set ranks them by last use. Storing one trims the
set to `max_entries`, dropping the least recently used documents, so the cache never grows past
its bound. Both steps are Lua scripts: one round trip each, atomic.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["PersistedQueryCache"]

PREFIX = "learngraph:apq:"
INDEX = PREFIX + "index"
MAX_DOCUMENT_BYTES = 100_000  # larger documents run but are not kept

logger = logging.getLogger(__name__)

GET_AND_TOUCH = """
local document = redis.call('GET', KEYS[1])
if document then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
end
return document
"""

PUT_AND_TRIM = """
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[1]))
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('DEL', ARGV[6] .. hash)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return excess
"""


class PersistedQueryCache:
    """APQ documents in Redis. Redis being down is a cache miss, never a failed request."""

    def __init__(self, redis: Redis, *, max_entries: int, ttl_seconds: int) -> None:
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._get = redis.register_script(GET_AND_TOUCH)
        self._put = redis.register_script(PUT_AND_TRIM)

    async def get(self, sha256: str) -> str | None:
        try:
            found = await self._get(
                keys=[PREFIX + sha256, INDEX], args=[self.ttl_seconds, time.time(), sha256]
            )
        except RedisError as error:
            logger.warning("persisted query lookup failed: %s", error)
            return None
        return found.decode("utf-8") if isinstance(found, bytes) else found

    async def put(self, sha256: str, document: str) -> None:
        if len(document.encode("utf-8")) > MAX_DOCUMENT_BYTES:
            return
        args: list[str | int | float] = [
            self.ttl_seconds,
            time.time(),
            sha256,
            document,
            self.max_entries,
            PREFIX,
        ]
        try:
            await self._put(keys=[PREFIX + sha256, INDEX], args=args)
        except RedisError as error:
            logger.warning("persisted query not stored: %s", error)
