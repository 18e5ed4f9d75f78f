"""Worker logs: set up once per worker process; each message's lines carry its ids."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import dramatiq
import structlog

from config.logs import configure_logging
from config.settings import get_settings

if TYPE_CHECKING:
    from dramatiq.broker import MessageProxy

__all__ = ["MessageLogs"]

logger = logging.getLogger("learngraph.worker")
MAX_LOGGED_IDS = 50
# Scheduled ticks come every few seconds: a done one is logged at DEBUG, a failed one as usual.
QUIET_ACTORS = frozenset({"run_periodic"})


def _event_ids(message: MessageProxy) -> list[str] | None:
    first = message.args[0] if message.args else None
    if isinstance(first, list) and all(isinstance(item, str) for item in first):
        return first[:MAX_LOGGED_IDS]
    return None


class MessageLogs(dramatiq.Middleware):
    """Structured logs in `dramatiq tasks.worker` processes (not in a test's in-process worker),
    and the message id, actor and event ids bound to every line a message's processing writes.
    """

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        configure_logging(get_settings(), process="worker")

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        structlog.contextvars.clear_contextvars()
        ids = _event_ids(message)
        structlog.contextvars.bind_contextvars(
            message_id=message.message_id,
            actor=message.actor_name,
            **({"event_ids": ids} if ids is not None else {}),
        )
        message.options["_started"] = time.perf_counter()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        started = message.options.pop("_started", None)
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
        outcome = "failed" if exception is not None else "done"
        quiet = outcome == "done" and message.actor_name in QUIET_ACTORS
        logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "message processed",
            extra={"outcome": outcome, "duration_ms": duration_ms},
        )
        structlog.contextvars.clear_contextvars()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        self.after_process_message(broker, message)
