"""What every service manager module shares: paths, errors, commands, locks, waiting, apt.

Standard library only: it runs with the system python3 before any virtualenv exists. Tests and
benchmarks wait with the same `wait_until` (they import ops too).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

__all__ = [
    "HOST",
    "REPO_ROOT",
    "VAR_DIR",
    "ServiceError",
    "apt_install",
    "ensure_command",
    "info",
    "locked",
    "port_open",
    "run",
    "tail",
    "wait_until",
    "wait_until_async",
]

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
HOST = "127.0.0.1"


class ServiceError(RuntimeError):
    """A service could not be installed, started, stopped or reached."""


def wait_until(probe: Callable[[], T], *, timeout: float, interval: float = 0.1) -> T | None:
    """Call ``probe`` until it returns something truthy, for at most ``timeout`` seconds.

    Returns that value, or None once the time is up (the probe runs at least once, and once more
    at the deadline, so a slow last interval never hides a condition that became true).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        time.sleep(min(interval, left))


async def wait_until_async(
    probe: Callable[[], Awaitable[T]], *, within: float, interval: float = 0.05
) -> T | None:
    """``wait_until`` for a coroutine probe, for at most ``within`` seconds; the event loop
    runs while waiting."""
    deadline = time.monotonic() + within
    while True:
        result = await probe()
        if result:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        await asyncio.sleep(min(interval, left))


def info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    args: list[str],
    what: str,
    *,
    input_text: str | None = None,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
) -> str:
    """Run a command and return its stdout; raise ServiceError naming ``what`` on failure."""
    try:
        result = subprocess.run(
            args,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd="/",
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ServiceError(f"{what}: `{' '.join(args)}` timed out after {timeout:.0f}s") from exc
    except FileNotFoundError as exc:
        raise ServiceError(f"{what}: command not found: {args[0]}") from exc
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip())[-2000:]
        raise ServiceError(
            f"{what}: `{' '.join(args)}` failed (exit {result.returncode}): {output}"
        )
    return result.stdout


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (serialises concurrent managers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def port_open(port: int) -> bool:
    """Whether something accepts TCP connections on HOST:port."""
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(path: Path, lines: int = 25) -> str:
    """Last ``lines`` lines of a log file, formatted for an error message."""
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"\n  (no log at {path})"
    return f"\n  --- last lines of {path} ---\n  " + "\n  ".join(text)


def apt_install(package: str) -> None:
    """Install a Debian package without letting its maintainer scripts start services."""
    if os.geteuid() != 0:
        raise ServiceError(
            f"{package} is missing; install it as root: apt-get install -y {package}"
        )
    info(f"installing {package} with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    policy = Path("/usr/sbin/policy-rc.d")
    created_policy = not policy.exists()
    if created_policy:  # Debian's hook: "exit 101" means "do not start services"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    install = ["apt-get", "install", "-y", "-q", package]
    try:
        try:
            run(install, f"apt-get install {package}", timeout=900, env=env)
        except ServiceError:  # stale or missing package lists
            run(["apt-get", "update", "-q"], "apt-get update", timeout=900, env=env)
            run(install, f"apt-get install {package}", timeout=900, env=env)
    finally:
        if created_policy:
            policy.unlink()


def ensure_command(command: str, package: str) -> str:
    """Path of ``command``, installing ``package`` first if it is missing."""
    if shutil.which(command) is None:
        apt_install(package)
    path = shutil.which(command)
    if path is None:
        raise ServiceError(f"{command} still not found after installing {package}")
    return path
