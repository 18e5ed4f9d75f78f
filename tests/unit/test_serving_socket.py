"""The API's listening socket: accepted connections answer without waiting on Nagle."""

from __future__ import annotations

import asyncio
import socket

from cli.serving import TcpConfig


async def _accepted_nodelay(listener: socket.socket) -> int:
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def made(transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        transport.close()

    class Probe(asyncio.Protocol):
        connection_made = staticmethod(made)

    server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
    host, port = listener.getsockname()[:2]
    _, writer = await asyncio.open_connection(host, port)
    try:
        return await asyncio.wait_for(accepted, timeout=5)
    finally:
        writer.close()
        server.close()
        await server.wait_closed()


def test_the_bound_socket_is_tcp_and_its_connections_have_nodelay() -> None:
    # given the socket the API's processes share
    config = TcpConfig("schema.asgi:app", host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    # then it says it is TCP, and a connection it accepts has Nagle's algorithm off
    assert listener.proto == socket.IPPROTO_TCP
    assert asyncio.run(_accepted_nodelay(listener)) == 1


def test_uvicorns_own_socket_would_not() -> None:
    # the reason for TcpConfig: a socket left at protocol 0 gets no TCP_NODELAY from asyncio
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    assert listener.proto == 0
    assert asyncio.run(_accepted_nodelay(listener)) == 0
