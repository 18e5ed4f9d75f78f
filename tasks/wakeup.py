"""The wake-up protocol between the outbox's publishers and the sync workers.

A committed event needs a worker to drain the outbox after the commit, not a message of its own.
So a publisher sends a wake-up only when none is pending (sent, and not yet started by a worker),
and the events of every commit in between ride on that pending one. A Redis key marks it:

- the publisher, after its commit, sets the key with SET NX (`Claims.claim`) and sends a message
  only when it set it (`Claims.release` if the send then fails): `send_wakeup` does both;
- a worker clears the key (`begin_drain`) when it starts the message, BEFORE it gathers open
  events from the outbox.

Why no committed event can be missed: a publisher that found the key set did so after its commit;
the key was set, so the worker that will clear it has not yet done so, and that worker gathers
after clearing it, so its gather sees the commit. A publisher that finds the key clear (a drain
began, maybe before its commit) sends a wake-up of its own. Two rules complete it:

- a drain whose gather came back full (there may be more open events) must not stop: it sends
  another wake-up (`send_wakeup`) or keeps gathering. A batch asks for that wake-up while its
  transaction is open, so it hands the send to a thread of its own (`WakeupSender`): a hung
  Redis then holds that thread, never the batch's row and entity locks;
- the key expires after WAKE_TTL_MS, so a wake-up lost with its message (a purged queue, a
  worker killed after fetching it) costs at most that long while commits go on; the relay still
  re-sends every event nobody touched, whatever happens to the messages.

A duplicate wake-up is harmless: a drain that finds nothing open claims nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Protocol

import redis

if TYPE_CHECKING:
    from collections.abc import Callable

    from redis.connection import AbstractConnection

__all__ = [
    "CLAIM",
    "RELEASE",
    "WAKE_KEY",
    "WAKE_TTL_MS",
    "Claims",
    "ClientClaims",
    "WakeupClaims",
    "WakeupSender",
    "begin_drain",
    "send_wakeup",
]

logger = logging.getLogger(__name__)
WAKE_KEY = "learngraph:sync:wake-pending"
WAKE_TTL_MS = 2000
# The two commands of the protocol, stated once for both ways of sending them.
CLAIM = ("SET", WAKE_KEY, b"1", "NX", "PX", WAKE_TTL_MS)  # answers nothing if one is pending
RELEASE = ("DEL", WAKE_KEY)


class Claims(Protocol):
    """Whether a wake-up must be sent; raises redis errors when Redis refuses."""

    def claim(self) -> bool:
        """True when the caller must send a wake-up (none was pending); False when one pending
        will gather the caller's committed events."""
        ...

    def release(self) -> None:
        """The wake-up this caller claimed was not sent: let the next commit send one."""
        ...


def send_wakeup(claims: Claims, send: Callable[[], object]) -> bool:
    """Claim the wake-up and `send` it only when none was pending; True if this call sent it.
    A send that fails releases the claim (which would expire anyway) and raises."""
    if not claims.claim():
        return False
    try:
        send()
    except Exception:
        with contextlib.suppress(Exception):  # it expires anyway
            claims.release()
        raise
    return True


class ClientClaims:
    """The claims through a redis client (a worker's, shared with its broker)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def claim(self) -> bool:
        return _execute(self._client, CLAIM) is not None

    def release(self) -> None:
        _execute(self._client, RELEASE)


def begin_drain(client: redis.Redis) -> None:
    """A worker starts a wake-up (or any message that gathers): call BEFORE gathering, so that
    a commit seeing the key set is sure to be gathered, and a later one sends anew."""
    _execute(client, RELEASE)


def _execute(client: redis.Redis, command: tuple[object, ...]) -> object:
    return client.execute_command(*command)  # type: ignore[no-untyped-call]


class WakeupClaims:
    """The claims for a publisher that claims often (the API's, once per send round): one
    connection of its own, kept, and the commands packed once. Through the client a SET costs
    ~60 us of CPU (pool, packing, instrumentation), here ~15 us; on a thread beside the event
    loop every bytecode saved is GIL the loop does not wait for. Raises redis errors as the
    client does; a failed connection is dropped and reconnects on the next claim."""

    def __init__(self, url: str) -> None:
        self._pool = redis.ConnectionPool.from_url(
            url, socket_connect_timeout=1.0, socket_timeout=5.0
        )
        self._connection: AbstractConnection | None = None
        self._lock = threading.Lock()
        packer = self._pool.make_connection()  # never connected: it only packs
        self._claim = [b"".join(packer.pack_command(*CLAIM))]  # type: ignore[no-untyped-call]
        self._release = [b"".join(packer.pack_command(*RELEASE))]  # type: ignore[no-untyped-call]

    def claim(self) -> bool:
        return self._run(self._claim) is not None

    def release(self) -> None:
        self._run(self._release)

    def close(self) -> None:
        with self._lock:
            self._pool.disconnect()
            self._connection = None

    def _run(self, packed: list[bytes]) -> object:
        with self._lock:
            if self._connection is None:
                self._connection = self._pool.get_connection()
            try:
                self._connection.send_packed_command(packed, check_health=False)  # type: ignore[no-untyped-call]
                return self._connection.read_response()
            except Exception:
                self._connection.disconnect()  # type: ignore[no-untyped-call]
                raise


class WakeupSender:
    """Sends wake-ups from a thread of its own, so that the caller never waits on Redis: a batch
    asks for one inside its PostgreSQL transaction, where a hung Redis would otherwise hold the
    batch's locks up to the socket timeout. Requests made while one is being sent coalesce into
    one more send after it. The thread starts on the first request and lives as long as the
    process (a worker's); `wake` must log its own failures (the relay covers a lost wake-up).
    """

    def __init__(self, wake: Callable[[], object]) -> None:
        self._wake = wake
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """A wake-up soon, without waiting for it."""
        self._wanted.set()
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="sync-wakeups", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        while self._wanted.wait():
            self._wanted.clear()
            try:
                self._wake()
            except Exception:  # the thread must outlive any failure
                logger.exception("could not send a wake-up")
