"""The Dramatiq broker on Redis. Import this module before any actor module."""

from __future__ import annotations

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.settings import get_settings
from tasks.tracing import MessageTracing

__all__ = ["broker", "redis_client"]


def redis_client(url: str) -> redis.Redis:
    """A client that fails fast when Redis is down or hung, instead of redis-py's long retries.

    (RedisBroker(url=...) builds its own pool from the url and silently drops socket options.)
    One immediate retry heals a connection that went stale while Redis restarted.
    """
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1.0,
        socket_timeout=5.0,
        health_check_interval=30,
        retry=Retry(NoBackoff(), 1),
    )


def _make_broker() -> RedisBroker:
    redis_broker = RedisBroker(  # type: ignore[no-untyped-call]
        client=redis_client(get_settings().redis_url), heartbeat_timeout=30_000
    )
    redis_broker.add_middleware(CurrentMessage())
    redis_broker.add_middleware(MessageTracing())  # the API's sends and the workers' processing
    return redis_broker


broker = _make_broker()
dramatiq.set_broker(broker)
