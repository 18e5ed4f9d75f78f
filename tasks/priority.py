"""A worker process yields the CPU to the API: it runs at a lower scheduling priority.

A backlog drain (after a long graph outage) keeps every worker thread busy, and on a host the
worker shares with the API (`make up`, one compose host) it took the CPU the API's requests
needed: a read during a 20k-event drain answered 2.5x slower than idle. At `WORKER_NICE` the
kernel still gives the drain every cycle the API leaves idle, so an idle machine drains as fast
as before; when both want the CPU, the API gets it first. The PostgreSQL and Neo4j work a
drain asks for follows its pace, since each of its threads waits for its own statements.

Only processes started by dramatiq's command (`learngraph worker`) lower themselves: a worker
run inside another process (the tests' in-process worker) leaves that process alone.
"""

from __future__ import annotations

import logging
import os

import dramatiq

__all__ = ["LowerPriority"]

logger = logging.getLogger(__name__)


class LowerPriority(dramatiq.Middleware):
    """Sets the worker process's niceness to `nice` when it boots, before its threads start
    (they inherit it)."""

    def __init__(self, nice: int) -> None:
        self.nice = nice

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if self.nice > current:
            os.setpriority(os.PRIO_PROCESS, 0, self.nice)
            logger.info("worker process runs at niceness %d", self.nice)
