"""A graphql-transport-ws client over a real WebSocket, for the live-update tests."""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LiveClient", "close_code_of", "live_client", "ws_url"]

PROTOCOL = "graphql-transport-ws"
RECEIVE_SECONDS = 60.0  # a bound on a wait, never a speed goal


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/graphql"


def close_code_of(base: str, init_payload: dict[str, Any] | None) -> int | None:
    """The code the server closes with after this connection_init (None: acknowledged)."""
    with connect(ws_url(base), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        socket.send(json.dumps({"type": "connection_init", "payload": init_payload or {}}))
        try:
            reply = json.loads(socket.recv(timeout=RECEIVE_SECONDS))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        assert reply["type"] == "connection_ack", reply
        return None


@contextmanager
def live_client(base: str, token: str) -> Iterator[LiveClient]:
    """An acknowledged connection of the token's user, closed on leaving."""
    with connect(ws_url(base), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        yield LiveClient(socket, token)


class LiveClient:
    """One acknowledged connection; messages are kept per operation id until read."""

    def __init__(self, socket: ClientConnection, token: str) -> None:
        self.socket = socket
        self._send({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        ack = json.loads(self.socket.recv(timeout=RECEIVE_SECONDS))
        assert ack["type"] == "connection_ack", ack
        self._inbox: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def _send(self, message: dict[str, Any]) -> None:
        self.socket.send(json.dumps(message))

    def subscribe(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        self._send({"id": op_id, "type": "subscribe", "payload": payload})

    def receive(self, op_id: str) -> dict[str, Any]:
        """The next message of one operation (next, error or complete), waiting for it."""
        while not self._inbox[op_id]:
            message = json.loads(self.socket.recv(timeout=RECEIVE_SECONDS))
            if message["type"] == "ping":
                self._send({"type": "pong"})
                continue
            self._inbox[message.get("id", "")].append(message)
        return self._inbox[op_id].pop(0)

    def next_data(self, op_id: str) -> dict[str, Any]:
        message = self.receive(op_id)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message["payload"]
        data: dict[str, Any] = message["payload"]["data"]
        return data
