"""One Redis pub/sub listener per API process, fanning worker notices out to subscriptions.

Every API process subscribes to the same channel, so a change applied by any worker reaches
the subscriptions of every process. Subscriptions wait on a Mailbox: notices that arrive
while a push is being built are merged into the next one (never an unbounded queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from domain.live import CHANNEL, AppliedNotice
from resolvers.live_slots import RENEW_SECONDS, ConnectionSlots

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import redis.asyncio as aioredis
    from redis.asyncio.client import PubSub

__all__ = ["LiveHub", "LiveUnavailableError", "Mailbox"]

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
READY_WAIT_SECONDS = 5.0
CLOSE_WAIT_SECONDS = 2.0


class LiveUnavailableError(RuntimeError):
    """Redis cannot be reached, so no live update could be delivered."""


@dataclass(eq=False)
class Mailbox:
    """What one subscription has not pushed yet: a flag and the concepts whose progress moved."""

    learner: str | None  # None: every applied batch (operators' sync status)
    concepts: set[str] = field(default_factory=set)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def deliver(self, concepts: frozenset[str]) -> None:
        self.concepts |= concepts
        self._arrived.set()

    async def wait(self, tick: float | None = None) -> bool:
        """True when something arrived; False when `tick` seconds passed first."""
        if self._arrived.is_set():
            return True
        try:
            await asyncio.wait_for(self._arrived.wait(), tick)
        except TimeoutError:
            return False
        return True

    def take(self) -> set[str]:
        taken, self.concepts = self.concepts, set()
        self._arrived.clear()
        return taken


class LiveHub:
    """The process's listener: started with the app, reconnecting while Redis is away."""

    def __init__(self, client: aioredis.Redis, *, max_connections_per_user: int) -> None:
        self.client = client
        self.slots = ConnectionSlots(client, cap=max_connections_per_user)
        self._mailboxes: set[Mailbox] = set()
        self._ready = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._pubsub: PubSub | None = None  # the listener's, while it listens
        self._closing = False

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._listen_forever(), name="live-hub-listener"),
            asyncio.create_task(self._renew_forever(), name="live-hub-slots"),
        ]

    async def close(self) -> None:
        self._closing = True  # a cancel redis-py turns into a connection error ends it too
        for task in self._tasks:
            task.cancel()
        # A pub/sub connection cancelled in the middle of its handshake can take redis-py a long
        # time (or forever) to unwind; shutting the process down never waits on it for long.
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=CLOSE_WAIT_SECONDS)
            if pending:
                await self._drop_listener_connection()
        with contextlib.suppress(TimeoutError, RedisError, OSError):
            await asyncio.wait_for(self.client.aclose(), CLOSE_WAIT_SECONDS)
        if unfinished := [task for task in self._tasks if not task.done()]:
            # its sockets are closed now, so its read ends: let it unwind inside the loop rather
            # than be destroyed pending when the loop closes
            await asyncio.wait(unfinished, timeout=CLOSE_WAIT_SECONDS)

    async def _drop_listener_connection(self) -> None:
        """Closes the socket of a listener that did not unwind in time, so that abandoning its
        task leaves no open connection behind (it would only be closed, and warned about, when
        the garbage collector meets it)."""
        connection = self._pubsub.connection if self._pubsub is not None else None
        if connection is not None:
            with contextlib.suppress(TimeoutError, RedisError, OSError):
                await connection.disconnect(nowait=True)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            try:
                await self.slots.renew()
            except (RedisError, OSError) as error:
                logger.warning("live updates: could not renew connection slots (%s)", error)

    @contextlib.asynccontextmanager
    async def mailbox(self, learner: str | None) -> AsyncIterator[Mailbox]:
        """A mailbox for the subscription's lifetime, once the hub is listening."""
        box = Mailbox(learner)
        self._mailboxes.add(box)
        try:
            await self._wait_ready()
            yield box
        finally:
            self._mailboxes.discard(box)

    async def _wait_ready(self) -> None:
        try:
            await asyncio.wait_for(self._ready.wait(), READY_WAIT_SECONDS)
        except TimeoutError:
            raise LiveUnavailableError(
                "live updates are unavailable: Redis is unreachable"
            ) from None

    def wake_all(self) -> None:
        """After a lost connection: notices may have been missed, so every feed reads again."""
        for box in list(self._mailboxes):
            box.deliver(frozenset())

    def dispatch(self, notice: AppliedNotice) -> None:
        for box in list(self._mailboxes):
            if box.learner is None:
                box.deliver(frozenset())
            elif box.learner in notice.learners:
                box.deliver(notice.learners[box.learner])

    async def _listen_forever(self) -> None:
        first = True
        while not self._closing:
            try:
                await self._listen(resumed=not first)
            except (RedisError, OSError) as error:
                if self._closing:
                    return
                logger.warning("live updates: Redis listener lost (%s); reconnecting", error)
            except Exception:  # a bug must not end live updates for the process's lifetime
                logger.exception("live updates: listener failed; restarting it")
            finally:
                self._ready.clear()
            if self._closing:
                return
            first = False
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen(self, *, resumed: bool) -> None:
        async with self.client.pubsub() as pubsub:
            self._pubsub = pubsub
            await pubsub.subscribe(CHANNEL)
            async for message in pubsub.listen():
                if message["type"] == "subscribe":  # confirmed: later notices will arrive
                    self._ready.set()
                    if resumed:
                        self.wake_all()
                elif message["type"] == "message":
                    self._handle(message)

    def _handle(self, message: dict[str, object]) -> None:
        data = message.get("data")
        if not isinstance(data, str | bytes):
            return
        try:
            notice = AppliedNotice.decode(data)
        except (ValueError, KeyError, TypeError):
            logger.warning("live updates: ignored a malformed notice")
            return
        self.dispatch(notice)
