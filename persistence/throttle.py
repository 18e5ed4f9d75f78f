"""Sliding-window attempt counters in Redis, with an in-process stand-in while Redis is down.

A moving window (the `limits` library's strategy: one timestamp per attempt in a sorted set)
counts the attempts of the last `seconds`; once `attempts` are in it, the next is refused until
the oldest leaves the window, so no refusal outlasts the window and nothing locks for ever.
Redis keeps the count shared by every API process; if Redis fails, each process counts in its
own memory for a while (failing safe: still limited, if per process) and then tries Redis again.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

__all__ = ["Throttle", "Window"]

log = logging.getLogger(__name__)
REDIS_RETRY_SECONDS = 5.0  # after a Redis failure, count in memory this long before retrying
REDIS_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class Window:
    """At most `attempts` in any `seconds`, counted under `name` and the keys given with it."""

    name: str
    attempts: int
    seconds: int

    def item(self) -> RateLimitItemPerSecond:
        return RateLimitItemPerSecond(self.attempts, self.seconds, namespace=self.name)


class Throttle:
    """Counts attempts per window and key; one per API process, shared by its requests."""

    def __init__(self, redis_url: str) -> None:
        self._pool = ConnectionPool.from_url(
            redis_url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        storage = RedisStorage(
            f"async+{redis_url}",
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix="learngraph:throttle",
            connection_pool=self._pool,  # type: ignore[arg-type]  # passed on to redis-py
        )
        self._redis = MovingWindowRateLimiter(storage)
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._redis_back_at = 0.0

    async def wait_seconds(self, window: Window, *keys: str) -> int:
        """0 while another attempt fits in the window; else the whole seconds until one does."""
        limiter = self._limiter()
        try:
            stats = await limiter.get_window_stats(window.item(), *keys)
        except StorageError as error:
            self._redis_failed(error)
            stats = await self._memory.get_window_stats(window.item(), *keys)
        if stats.remaining > 0:
            return 0
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def count(self, window: Window, *keys: str) -> None:
        """One more attempt in the window."""
        limiter = self._limiter()
        try:
            await limiter.hit(window.item(), *keys)
        except StorageError as error:
            self._redis_failed(error)
            await self._memory.hit(window.item(), *keys)

    async def forget(self, window: Window, *keys: str) -> None:
        """Start the window afresh (a success ends a run of failures)."""
        limiter = self._limiter()
        try:
            await limiter.clear(window.item(), *keys)
        except StorageError as error:
            self._redis_failed(error)
        await self._memory.clear(window.item(), *keys)

    async def close(self) -> None:
        await self._pool.disconnect()

    def _limiter(self) -> MovingWindowRateLimiter:
        return self._redis if time.monotonic() >= self._redis_back_at else self._memory

    def _redis_failed(self, error: StorageError) -> None:
        log.warning("throttling in process memory for now: Redis failed (%s)", error)
        self._redis_back_at = time.monotonic() + REDIS_RETRY_SECONDS
