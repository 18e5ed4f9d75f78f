"""An answer leaves in one write; a streamed answer and a kept-alive connection still work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from uvicorn.server import ServerState

from cli.one_write import GatheredWrites, OneWriteH11Protocol

Send = Callable[[dict[str, Any]], Awaitable[None]]


async def app(scope: dict[str, Any], receive: Any, send: Send) -> None:
    assert scope["type"] == "http"
    length = [] if scope["path"] == "/stream" else [(b"content-length", b"5")]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1"), *length]})
    if scope["path"] == "/stream":
        await send({"type": "http.response.body", "body": b"first ", "more_body": True})
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        await send({"type": "http.response.body", "body": b"second", "more_body": False})
        return
    await send({"type": "http.response.body", "body": b"whole"})


async def _serve(writes: list[bytes]) -> asyncio.Server:
    config = uvicorn.Config(app, http=OneWriteH11Protocol, log_level="warning")
    config.load()
    state = ServerState()

    class Counted(OneWriteH11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            write = transport.write

            def counted(data: Any) -> None:
                writes.append(bytes(data))
                write(data)

            transport.write = counted  # type: ignore[method-assign]
            super().connection_made(transport)

    def protocol() -> Counted:
        return Counted(config=config, server_state=state, app_state={})

    return await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)


async def _exchange(server: asyncio.Server, paths: list[str]) -> bytes:
    """Each path asked in turn on one connection; every answer read to its end."""
    host, port = server.sockets[0].getsockname()[:2]
    reader, writer = await asyncio.open_connection(host, port)
    received = b""
    try:
        for path in paths:
            writer.write(f"GET {path} HTTP/1.1\r\nhost: test\r\n\r\n".encode())
            end = b"0\r\n\r\n" if path == "/stream" else b"whole"
            answer = b""
            while not answer.endswith(end):
                answer += await asyncio.wait_for(reader.read(65536), timeout=5)
            received += answer
    finally:
        writer.close()
        await writer.wait_closed()
    return received


async def test_an_answer_sent_in_one_turn_is_one_write_of_head_and_body() -> None:
    # given the server with its counting transport
    writes: list[bytes] = []
    server = await _serve(writes)
    try:
        # when two requests are answered on one kept-alive connection
        received = await _exchange(server, ["/", "/"])
    finally:
        server.close()
        await server.wait_closed()
    # then each answer was one write holding its status line, headers and body
    assert len(writes) == 2
    for write in writes:
        assert write.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"x-a: 1\r\n" in write
        assert write.endswith(b"\r\n\r\nwhole")
    assert received == b"".join(writes)


async def test_a_streamed_answer_leaves_as_it_is_sent() -> None:
    writes: list[bytes] = []
    server = await _serve(writes)
    try:
        received = await _exchange(server, ["/stream"])
    finally:
        server.close()
        await server.wait_closed()
    # the head went with the first chunk; the second chunk, sent turns later, on its own
    assert len(writes) == 2
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert writes[0].endswith(b"first \r\n")
    assert b"second" in writes[1]
    assert received.endswith(b"second\r\n0\r\n\r\n")


class Recording(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def write(self, data: Any) -> None:
        self.events.append(f"write {bytes(data).decode()}")

    def close(self) -> None:
        self.events.append("close")

    def abort(self) -> None:
        self.events.append("abort")

    def is_closing(self) -> bool:
        return "close" in self.events or "abort" in self.events

    def get_write_buffer_size(self) -> int:
        return 0


async def test_closing_writes_what_was_gathered_first_and_aborting_drops_it() -> None:
    loop = asyncio.get_running_loop()
    closed, aborted = Recording(), Recording()
    for raw in (closed, aborted):
        gathered = GatheredWrites(raw, loop)
        gathered.write(b"head ")
        gathered.write(b"body")
        assert gathered.get_write_buffer_size() == len(b"head body")
        gathered.close() if raw is closed else gathered.abort()
    await asyncio.sleep(0)  # the end of the turn finds nothing left to write
    assert closed.events == ["write head body", "close"]
    assert aborted.events == ["abort"]
