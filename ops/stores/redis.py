"""Redis from Debian's package, one server per profile, with an append-only file."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from ops.core import HOST, ServiceError, ensure_command, run, wait_until
from ops.supervision import Daemon, cmdline, cwd

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Redis"]


class Redis(Daemon):
    name = "redis"
    start_timeout = 20.0

    @property
    def port(self) -> int:
        return self.profile.redis_port

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    @property
    def data_dir(self) -> Path:
        """Working directory of redis-server, holding the append-only file."""
        return self.profile.root / "redis"

    @property
    def pidfile(self) -> Path:
        return self.data_dir / "redis.pid"

    @property
    def logfile(self) -> Path:
        return self.profile.logs / "redis.log"

    def owns(self, pid: int) -> bool:
        # redis-server chdirs into its --dir, which is unique per profile.
        return cmdline(pid).split(" ")[0].endswith("redis-server") and cwd(pid) == self.data_dir

    def launch(self) -> None:
        server = ensure_command("redis-server", "redis-server")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        options = {
            "daemonize": "yes",
            "bind": HOST,
            "port": str(self.port),
            "protected-mode": "yes",
            "dir": str(self.data_dir),
            "pidfile": str(self.pidfile),
            "logfile": str(self.logfile),
            "appendonly": "yes",  # queued jobs survive a restart
            "appendfsync": "everysec",
            "save": "",  # no RDB snapshots besides the AOF
        }
        args = [server] + [arg for key, value in options.items() for arg in (f"--{key}", value)]
        run(args, f"{self.label}: redis-server")
        if not wait_until(lambda: self.pid() is not None, timeout=5.0):
            raise ServiceError(
                f"{self.label}: redis-server exited during startup{self.diagnostics()}"
            )

    def probe(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1.0) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")  # "-LOADING" while reading the AOF
        except OSError:
            return False
