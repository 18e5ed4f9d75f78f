"""The Dramatiq broker on Redis. Import this module before any actor module."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage

from config.settings import get_settings

__all__ = ["broker"]


def _make_broker() -> RedisBroker:
    redis_broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=get_settings().redis_url,
        socket_connect_timeout=1.0,
        socket_timeout=5.0,
        heartbeat_timeout=30_000,
    )
    redis_broker.add_middleware(CurrentMessage())
    return redis_broker


broker = _make_broker()
dramatiq.set_broker(broker)
