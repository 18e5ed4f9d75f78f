"""A Redis that hangs on SET: it accepts connections and answers every other command (HELLO as
a RESP3 server, the rest with `:0`), but never a SET, as a Redis stuck mid-command would. It records which connections sent a SET and
whether each is still open (the client is still waiting for the answer)."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["HungRedis", "hung_redis"]

HELLO = b"%2\r\n+server\r\n+redis\r\n+proto\r\n:3\r\n"  # what redis-py's HELLO 3 asks


def _commands(buffer: bytes) -> tuple[list[list[bytes]], bytes]:
    """The complete RESP commands (arrays of bulk strings) at the start of buffer, and the rest."""
    commands: list[list[bytes]] = []
    while True:
        command, rest = _command(buffer)
        if command is None:
            return commands, buffer
        commands.append(command)
        buffer = rest


def _command(buffer: bytes) -> tuple[list[bytes] | None, bytes]:
    header, found, rest = buffer.partition(b"\r\n")
    if not found:
        return None, buffer
    parts: list[bytes] = []
    for _ in range(int(header[1:])):
        length, found, after = rest.partition(b"\r\n")
        size = int(length[1:]) if found else 0
        if not found or len(after) < size + 2:
            return None, buffer
        parts.append(after[:size])
        rest = after[size + 2 :]
    return parts, rest


@dataclass
class _Connection:
    sent_set: bool = False
    open: bool = True


@dataclass
class HungRedis:
    url: str
    _connections: list[_Connection] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def first_set_unanswered(self) -> bool | None:
        """None until a SET arrived; then whether the connection that sent the first one is
        still open (its client still waits for the answer)."""
        with self._lock:
            waiting = [connection for connection in self._connections if connection.sent_set]
            return waiting[0].open if waiting else None

    def serve(self, sock: socket.socket) -> None:
        state = _Connection()
        with self._lock:
            self._connections.append(state)
        buffer = b""
        with sock:
            while chunk := _received(sock):
                commands, buffer = _commands(buffer + chunk)
                for command in commands:
                    name = command[0].upper()
                    if name == b"SET":
                        state.sent_set = True
                    else:
                        sock.sendall(HELLO if name == b"HELLO" else b":0\r\n")
        state.open = False


def _received(sock: socket.socket) -> bytes:
    with contextlib.suppress(OSError):
        return sock.recv(65536)
    return b""


@contextlib.contextmanager
def hung_redis() -> Iterator[HungRedis]:
    """The server on a free local port, for the duration of the block."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = HungRedis(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):  # the listener closed
            while True:
                sock, _ = listener.accept()
                accepted.append(sock)
                threading.Thread(target=server.serve, args=(sock,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        listener.close()
        for sock in accepted:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
