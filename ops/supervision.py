"""Pid supervision: finding a server's process, stopping it, and the service base classes.

A service is one store of one profile. ``Daemon`` is one tracked by a pid file and a TCP port
(Redis, Neo4j); PostgreSQL is Debian's cluster, managed by its own tools.
"""

from __future__ import annotations

import abc
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from ops.core import HOST, ServiceError, info, locked, port_open, tail, wait_until

if TYPE_CHECKING:
    from collections.abc import Callable

    from ops.profiles import Profile

__all__ = [
    "Daemon",
    "Service",
    "alive",
    "cmdline",
    "cwd",
    "find_pid",
    "terminate",
    "wait_for_pid",
    "wait_ready",
]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (zombies count as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def cmdline(pid: int) -> str:
    """Command line of ``pid`` with arguments joined by spaces ('' if unavailable)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def cwd(pid: int) -> Path | None:
    """Working directory of ``pid``, or None if unavailable."""
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def find_pid(pidfile: Path, owns: Callable[[int], bool]) -> int | None:
    """Pid of the live process ``owns`` recognises: from ``pidfile``, else by scanning /proc.

    A pid file naming a dead or foreign process is stale and gets removed.
    """
    try:
        pid: int | None = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        pid = None
    if pid is not None:
        # Right after exec, /proc/<pid>/cmdline is briefly empty: give it a moment.
        started = alive(pid) and wait_until(lambda: bool(cmdline(pid)), timeout=1.0, interval=0.02)
        if started and owns(pid):
            return pid
        pidfile.unlink(missing_ok=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and owns(int(entry.name)) and alive(int(entry.name)):
            return int(entry.name)
    return None


def wait_for_pid(pidfile: Path, owns: Callable[[int], bool], *, timeout: float) -> int | None:
    """``find_pid``, looked up again for a while: a process just forked by ``setsid --fork``
    may not have exec'ed its program yet, and while it does its cmdline is briefly empty."""
    return wait_until(lambda: find_pid(pidfile, owns), timeout=timeout, interval=0.05)


def terminate(pid: int, label: str, timeout: float) -> bool:
    """SIGTERM ``pid`` and wait for it to exit, escalating to SIGKILL after ``timeout``.

    Returns True if SIGTERM sufficed (a clean shutdown), False if SIGKILL was needed.
    """
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if wait_until(lambda: not alive(pid), timeout=wait):
            return sig == signal.SIGTERM
        info(f"{label}: pid {pid} did not exit within {wait:.0f}s of {sig.name}")
    raise ServiceError(f"{label}: could not stop pid {pid}")


class Service(abc.ABC):
    """One managed service of one profile."""

    name = ""
    start_timeout = 60.0

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    @property
    def label(self) -> str:
        """Name used in messages, e.g. ``redis (test)``."""
        return f"{self.name} ({self.profile.name})"

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """Connection URL for clients."""

    @abc.abstractmethod
    def start(self) -> None:
        """Install if needed and launch; returns before the service is necessarily ready."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop and wait until the process is gone and the port is free."""

    @abc.abstractmethod
    def pid(self) -> int | None:
        """Pid of the running server, or None if it is not running."""

    @abc.abstractmethod
    def probe(self) -> bool:
        """Whether the (running) server answers its protocol."""

    @abc.abstractmethod
    def diagnostics(self) -> str:
        """Log excerpt to append to error messages."""

    def detail(self) -> str:
        """Extra information for status lines."""
        return ""


def wait_ready(service: Service, timeout: float) -> None:
    """Wait until ``service`` answers its protocol; raise at once if its process is gone."""

    def answers() -> bool:
        if service.pid() is None:
            raise ServiceError(f"{service.label} is not running{service.diagnostics()}")
        return service.probe()

    if not wait_until(answers, timeout=timeout, interval=0.2):
        raise ServiceError(f"{service.label} not ready after {timeout:.0f}s{service.diagnostics()}")


class Daemon(Service):
    """A per-profile server process tracked by a pid file and a TCP port."""

    stop_timeout = 30.0

    @property
    @abc.abstractmethod
    def port(self) -> int:
        """TCP port the server listens on."""

    @property
    @abc.abstractmethod
    def pidfile(self) -> Path:
        """Where the server's pid is recorded."""

    @property
    @abc.abstractmethod
    def logfile(self) -> Path:
        """Main log of the server."""

    @abc.abstractmethod
    def owns(self, pid: int) -> bool:
        """Whether ``pid`` is this profile's server process."""

    @abc.abstractmethod
    def launch(self) -> None:
        """Spawn the server in the background and make sure its pid file exists."""

    @property
    def _lockfile(self) -> Path:
        return self.profile.root / f".{self.name}.lock"

    def pid(self) -> int | None:
        return find_pid(self.pidfile, self.owns)

    def start(self) -> None:
        with locked(self._lockfile):
            if self.pid() is not None:
                return
            if port_open(self.port):
                raise ServiceError(
                    f"{self.label}: port {HOST}:{self.port} is used by a process not started by "
                    "ops/services.py; stop it or choose another port"
                )
            self.profile.logs.mkdir(parents=True, exist_ok=True)
            self.launch()

    def stop(self) -> None:
        with locked(self._lockfile):
            pid = self.pid()
            if pid is None:
                return
            clean = terminate(pid, self.label, self.stop_timeout)
            self.pidfile.unlink(missing_ok=True)
            self.exited(clean)
            if not wait_until(lambda: not port_open(self.port), timeout=10.0):
                raise ServiceError(f"{self.label}: pid {pid} exited but port {self.port} is in use")

    def exited(self, clean: bool) -> None:
        """Hook run after ``stop`` saw the server exit; ``clean`` if SIGTERM sufficed."""

    def diagnostics(self) -> str:
        return tail(self.logfile)
