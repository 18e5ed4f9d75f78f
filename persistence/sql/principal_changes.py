"""The LISTEN side of the token check's cache: one PostgreSQL connection per API process.

Notifications are read when the socket has data (an event-loop reader, no task waiting) and
also on demand before each look-up. A lost connection clears the cache, stops caching and is
opened again in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import psycopg

from persistence.sql.database import libpq_url
from persistence.sql.principals import CHANGES_CHANNEL, PrincipalDirectory

__all__ = ["PrincipalChanges"]

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0


class PrincipalChanges:
    """Keeps `directory` told about changed users for as long as it runs."""

    def __init__(self, database_url: str, directory: PrincipalDirectory) -> None:
        self._url = libpq_url(database_url)
        self._directory = directory
        self._connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None
        # the socket the event loop watches: kept, because a lost connection no longer says
        self._socket: int | None = None
        self._reconnecting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            await self._connect()
        except psycopg.Error as error:
            log.warning("not listening for user changes yet: %s", error)
            self._reconnect_later()

    async def stop(self) -> None:
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
        await self._disconnect()

    async def _connect(self) -> None:
        connection = await psycopg.AsyncConnection.connect(self._url, autocommit=True)
        await connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        self._connection = connection
        self._socket = connection.pgconn.socket
        asyncio.get_running_loop().add_reader(self._socket, self._drain)
        self._directory.catch_up = self._drain
        self._directory.listening(True)

    async def _disconnect(self) -> None:
        connection = self._detach()
        if connection is not None:
            await connection.close()

    def _detach(self) -> psycopg.AsyncConnection[tuple[object, ...]] | None:
        """Stop caching and reading; hand back the connection, if any, to be closed."""
        self._directory.listening(False)
        self._directory.catch_up = lambda: None
        connection, self._connection = self._connection, None
        watched, self._socket = self._socket, None
        if watched is not None:  # before the socket closes: its number is reused at once
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(watched)
        return connection

    def _drain(self) -> None:
        """Apply every notification already received; never waits."""
        connection = self._connection
        if connection is None:
            return
        try:
            connection.pgconn.consume_input()
            while (notice := connection.pgconn.notifies()) is not None:
                self._directory.changed(_user_id(notice.extra))
        except psycopg.Error as error:
            log.warning("stopped listening for user changes: %s", error)
            self._lost()

    def _lost(self) -> None:
        connection = self._detach()
        if connection is not None:
            connection.pgconn.finish()
        self._reconnect_later()

    def _reconnect_later(self) -> None:
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while self._connection is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            try:
                await self._connect()
            except psycopg.Error as error:
                log.debug("still not listening for user changes: %s", error)


def _user_id(payload: bytes) -> uuid.UUID | None:
    try:
        return uuid.UUID(payload.decode())
    except ValueError:
        return None  # not one id: forget everyone
