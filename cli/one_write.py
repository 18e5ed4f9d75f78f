"""Each answer leaves in one write: its status line, headers and body together.

uvicorn's HTTP/1.1 protocol writes a response's head when the app starts the response and its
body when the app sends it: two writes, so (Nagle off) two TCP segments and a client woken twice
for every answer. On loopback each write is a system call that also runs the receiving side of
TCP and wakes the receiver, and profiles of `{ __typename }` put a large share of a request's
time in those writes. The protocol here gives uvicorn a transport whose writes made during one
turn of the event loop are gathered and written once at the end of that turn: an answer sent
whole in one turn (every JSON answer) is one write; a streamed one still leaves chunk by chunk,
each at most one turn later. A connection upgraded to a WebSocket writes its frames directly.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import h11

__all__ = ["GatheredWrites", "OneWriteH11Protocol"]


class GatheredWrites(asyncio.Transport):
    """A transport's writes of one event-loop turn, written together at the end of the turn."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.raw = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Write what this turn gathered, as one write."""
        if not self._pending:
            return
        data = b"".join(self._pending) if len(self._pending) > 1 else self._pending[0]
        self._pending.clear()
        if not self.raw.is_closing():
            self.raw.write(data)

    def close(self) -> None:
        self.flush()
        self.raw.close()

    def abort(self) -> None:
        self._pending.clear()
        self.raw.abort()

    def write_eof(self) -> None:
        self.flush()
        self.raw.write_eof()

    def can_write_eof(self) -> bool:
        return self.raw.can_write_eof()

    def is_closing(self) -> bool:
        return self.raw.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.raw.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.raw.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self.raw.get_protocol()

    def is_reading(self) -> bool:
        return self.raw.is_reading()

    def pause_reading(self) -> None:
        self.raw.pause_reading()

    def resume_reading(self) -> None:
        self.raw.resume_reading()

    def get_write_buffer_size(self) -> int:
        return self.raw.get_write_buffer_size() + sum(len(data) for data in self._pending)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self.raw.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self.raw.set_write_buffer_limits(high, low)


class OneWriteH11Protocol(H11Protocol):
    """uvicorn's h11 protocol writing through GatheredWrites."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(GatheredWrites(transport, self.loop))

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        if isinstance(self.transport, GatheredWrites):
            self.transport.flush()
            self.transport = self.transport.raw  # frames are written as the WebSocket sends them
        super().handle_websocket_upgrade(event)
