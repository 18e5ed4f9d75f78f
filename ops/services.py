#!/usr/bin/env python3
"""Install, start, stop and probe learngraph's local backing services.

Services: PostgreSQL (the Debian cluster, shared by all profiles), Redis and an
embedded Neo4j Community server (``ops/neo4j/Launcher.java``), the latter two
once per profile. State and logs live under ``var/<profile>/`` at the repository
root. Standard library only, so it runs before any virtualenv exists::

    python3 ops/services.py up|down|status [--profile dev|test|fault|bench]
    python3 ops/services.py start|stop postgres|redis|neo4j [--profile dev|test|fault|bench]

Test suites can import the same operations from ``ops.services``:
``start_service``, ``stop_service``, ``wait_ready`` and ``service_status``.
Every operation is idempotent; stopping returns only once the process has exited
and its port is free. Each store has its module in ``ops/stores/``; what they share is in
``ops/core.py`` (commands, locks, waiting), ``ops/profiles.py`` and ``ops/supervision.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as a script: make the `ops` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.core import VAR_DIR, ServiceError
from ops.profiles import PROFILE_NAMES, Profile, get_profile
from ops.stores.neo4j import Neo4j
from ops.stores.postgres import Postgres
from ops.stores.redis import Redis
from ops.supervision import Service
from ops.supervision import wait_ready as _wait_ready

__all__ = [
    "SERVICES",
    "VAR_DIR",
    "Profile",
    "ServiceError",
    "ServiceStatus",
    "get_profile",
    "main",
    "service_status",
    "start_service",
    "stop_service",
    "wait_ready",
]

_SERVICE_CLASSES: dict[str, type[Service]] = {
    "postgres": Postgres,
    "redis": Redis,
    "neo4j": Neo4j,
}
SERVICES = tuple(_SERVICE_CLASSES)


@dataclass(frozen=True)
class ServiceStatus:
    """Snapshot of one service as seen from the outside."""

    name: str
    profile: str
    pid: int | None
    ready: bool
    url: str
    detail: str = ""

    @property
    def running(self) -> bool:
        """Whether the service's process exists."""
        return self.pid is not None

    def line(self) -> str:
        """One human-readable line, as printed by the CLI."""
        state = "ready" if self.ready else "running" if self.running else "stopped"
        pid = f"pid={self.pid}" if self.pid else ""
        return f"{self.name:<8} {state:<8} {pid:<11} {self.url} {self.detail}".rstrip()


def _service(name: str, profile: str) -> Service:
    if name not in _SERVICE_CLASSES:
        raise ServiceError(f"unknown service {name!r} (expected one of {', '.join(SERVICES)})")
    return _SERVICE_CLASSES[name](get_profile(profile))


def start_service(name: str, profile: str = "dev") -> None:
    """Start service ``name`` (postgres|redis|neo4j) of ``profile`` and wait until it is ready.

    Installs missing software first; a no-op apart from the readiness check if the
    service is already running. Raises ServiceError on failure or timeout.
    """
    _service(name, profile).start()
    wait_ready(name, profile)


def stop_service(name: str, profile: str = "dev") -> None:
    """Stop service ``name`` of ``profile``; returns once the process is gone and the port is free.

    A no-op if it is not running. The shared PostgreSQL cluster keeps running
    while another profile uses it or if something other than this tool started it.
    """
    _service(name, profile).stop()


def wait_ready(name: str, profile: str = "dev", timeout: float | None = None) -> None:
    """Wait until service ``name`` of ``profile`` answers its protocol.

    ``timeout`` defaults to the service's start timeout (postgres 60 s, redis 20 s,
    neo4j 300 s). Raises ServiceError at once if the service is not running, or
    after the timeout, with the tail of the service's log in the message.
    """
    service = _service(name, profile)
    _wait_ready(service, service.start_timeout if timeout is None else timeout)


def service_status(name: str, profile: str = "dev") -> ServiceStatus:
    """Current state of service ``name`` of ``profile``; never starts or stops anything."""
    service = _service(name, profile)
    pid = service.pid()
    return ServiceStatus(
        name=name,
        profile=profile,
        pid=pid,
        ready=pid is not None and service.probe(),
        url=service.url,
        detail=service.detail(),
    )


def _start_and_report(name: str, profile: str) -> None:
    started = time.monotonic()
    start_service(name, profile)
    elapsed = time.monotonic() - started
    print(f"{service_status(name, profile).line()}  [{elapsed:.1f}s]", flush=True)


def _stop_and_report(name: str, profile: str) -> None:
    stop_service(name, profile)
    print(service_status(name, profile).line(), flush=True)


def _status(profile: str) -> int:
    statuses = [service_status(name, profile) for name in SERVICES]
    for status in statuses:
        print(status.line())
    return 0 if all(status.ready for status in statuses) else 3


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ops/services.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status", "start", "stop"))
    parser.add_argument("service", nargs="?", choices=SERVICES, help="service to start/stop")
    parser.add_argument("--profile", default="dev", choices=PROFILE_NAMES)
    args = parser.parse_args(argv)
    if (args.command in ("start", "stop")) != (args.service is not None):
        parser.error("start/stop need a service name; up/down/status take none")
    return args


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    args = _arguments(argv)
    try:
        if args.command == "status":
            return _status(args.profile)
        if args.command in ("up", "start"):
            for name in [args.service] if args.service else SERVICES:
                _start_and_report(name, args.profile)
        else:
            for name in [args.service] if args.service else reversed(SERVICES):
                _stop_and_report(name, args.profile)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
