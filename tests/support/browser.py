"""Debian's headless Chromium, driven over the DevTools protocol, with no network but one origin.

Every request the page makes is intercepted (Fetch domain): requests to the allowed origin go on,
anything else fails and is recorded in `blocked`, so a test can assert that nothing left the
machine. The resolver also maps every host but 127.0.0.1 to nowhere, in case a request slipped by.
"""

from __future__ import annotations

import itertools
import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
from websockets.sync.client import ClientConnection, connect

from ops.processes import spawn, stop
from tests.support.system import require_command
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["Page", "headless_chromium"]

FLAGS = [
    "--headless=new",
    "--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# Records CSP violations from the first script on, before the page's own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Page:
    """One tab: send DevTools commands, evaluate JavaScript, type and click like a user."""

    def __init__(self, socket: ClientConnection, allowed_origin: str) -> None:
        self.socket = socket
        self.allowed_origin = allowed_origin
        self.ids = itertools.count(1)
        self.blocked: list[str] = []
        self.exceptions: list[str] = []
        self.console_errors: list[str] = []  # CSP refusals among them

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self._on_event(message)

    def _on_event(self, message: dict[str, Any]) -> None:
        params = message.get("params", {})
        if message.get("method") == "Fetch.requestPaused":
            self._decide(params["requestId"], params["request"]["url"])
        elif message.get("method") == "Runtime.exceptionThrown":
            self.exceptions.append(json.dumps(params["exceptionDetails"])[:500])
        elif message.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.console_errors.append(params["entry"]["text"])

    def _decide(self, request_id: str, url: str) -> None:
        if url.startswith(self.allowed_origin + "/"):
            command = {"method": "Fetch.continueRequest", "params": {"requestId": request_id}}
        else:
            self.blocked.append(url)
            failure = {"requestId": request_id, "errorReason": "BlockedByClient"}
            command = {"method": "Fetch.failRequest", "params": failure}
        self.socket.send(json.dumps({"id": next(self.ids), **command}))

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression!r} threw {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """The first truthy value of ``expression``, evaluated until then."""
        return eventually(lambda: self.evaluate(expression), timeout=timeout, interval=0.2)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element ``selector`` names."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", text=text)

    def open(self, url: str) -> None:
        self.send("Page.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", source=WATCH_CSP)
        self.send("Page.navigate", url=url)


def _debugging_port(profile: Path) -> int:
    port_file = profile / "DevToolsActivePort"
    eventually(port_file.exists, timeout=60)
    return int(eventually(lambda: port_file.read_text().split("\n")[0].strip(), timeout=10))


def _page_socket_url(port: int) -> str:
    targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
    url: str = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
    return url


@contextmanager
def headless_chromium(profile: Path, allowed_origin: str) -> Iterator[Page]:
    """A fresh Chromium (Debian's package, installed if missing) and its first tab."""
    chromium = require_command("chromium", "chromium")
    process: subprocess.Popen[bytes] = spawn(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"], profile / "chromium.log"
    )
    try:
        port = _debugging_port(profile)
        with connect(_page_socket_url(port), max_size=None, open_timeout=30) as socket:
            page = Page(socket, allowed_origin)
            page.send("Runtime.enable")
            page.send("Log.enable")
            page.send("Fetch.enable", patterns=[{"urlPattern": "*"}])
            yield page
    finally:
        stop(process)
