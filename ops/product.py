#!/usr/bin/env python3
"""Start, stop and show the product's processes (the API and a worker) for `make up`.

supervisord (ops/supervisord.conf) runs them in the background, restarts neither behind your
back, and stops both, with their children, on `stop`::

    python3 ops/product.py start|stop|status

`start` returns once the API answers /readyz. LG_API_PORT (default 8000) and LG_PRODUCT_DIR
(default var/dev: logs/ and run/) may be set to run a second copy beside the first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

if not __package__:  # run as a script: make the `ops` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.core import REPO_ROOT, VAR_DIR, tail, wait_until
from ops.supervision import alive

__all__ = ["main"]

CONFIG = REPO_ROOT / "ops" / "supervisord.conf"
BIN = REPO_ROOT / ".venv" / "bin"
READY_SECONDS = 180.0  # a loaded machine may take a minute to import and start it
GAVE_UP = {"EXITED", "FATAL", "BACKOFF", "STOPPED"}  # supervisord's states of a process not up


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LG_API_PORT", "8000")
    env.setdefault("LG_PRODUCT_DIR", str(VAR_DIR / "dev"))
    return env


def _ctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "supervisorctl"), "-c", str(CONFIG), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _supervisor_pid(env: dict[str, str]) -> int | None:
    answer = _ctl(env, "pid").stdout.strip()
    return int(answer) if answer.isdigit() else None


def _supervising(env: dict[str, str]) -> bool:
    return _supervisor_pid(env) is not None


def _ready(port: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start(env: dict[str, str]) -> int:
    folder = Path(env["LG_PRODUCT_DIR"])
    for sub in ("logs", "run"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    if not _supervising(env):
        subprocess.run([str(BIN / "supervisord"), "-c", str(CONFIG)], env=env, check=True)
        wait_until(lambda: _supervising(env), timeout=10.0)
    _ctl(env, "start", "all")
    port = env["LG_API_PORT"]

    def settled() -> bool:
        state = _ctl(env, "status", "api").stdout.split()[1:2]
        return _ready(port) or bool(set(state) & GAVE_UP)

    if wait_until(settled, timeout=READY_SECONDS, interval=0.5) and _ready(port):
        print(f"learngraph is up: GraphiQL at http://localhost:{port}/graphql")
        print(f"logs in {folder / 'logs'}; stop with 'make down'")
        return 0
    print(f"the API is not ready within {READY_SECONDS:.0f}s{tail(folder / 'logs' / 'api.log')}")
    return 1


def stop(env: dict[str, str]) -> int:
    """Stop the API and the worker (their process groups), then supervisord; returns once
    supervisord, which exits last, is gone."""
    pid = _supervisor_pid(env)
    if pid is None:
        return 0
    result = _ctl(env, "shutdown")
    print(result.stdout.strip() or result.stderr.strip())
    if not wait_until(lambda: not alive(pid), timeout=60.0):
        print(f"supervisord (pid {pid}) still runs a minute after shutdown", file=sys.stderr)
        return 1
    return 0


def status(env: dict[str, str]) -> int:
    if not _supervising(env):
        print("api      STOPPED\nworker   STOPPED")
        return 3
    result = _ctl(env, "status")
    print(result.stdout.rstrip())
    return 0 if result.returncode == 0 else 3


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    commands = {"start": start, "stop": stop, "status": status}
    if len(args) != 1 or args[0] not in commands:
        print("usage: ops/product.py start|stop|status", file=sys.stderr)
        return 2
    return commands[args[0]](_environment())


if __name__ == "__main__":
    sys.exit(main())
