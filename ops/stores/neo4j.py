"""Neo4j Community embedded in a small launcher (ops/neo4j/Launcher.java), one per profile."""

from __future__ import annotations

import os
import socket
import subprocess
from typing import TYPE_CHECKING

from ops.core import HOST, ServiceError, ensure_command, tail
from ops.profiles import NEO4J_USER
from ops.stores.neo4j_build import build_launcher, neo4j_build
from ops.supervision import Daemon, cmdline, wait_for_pid

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Neo4j"]

_JVM_OPTIONS = (
    "-Xms256m",
    "-Xmx768m",
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Xlog:cds*=error",  # dumping the CDS archive warns about every class it skips
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
# Bolt handshake: magic preamble, then four version proposals: 5.8 down to 5.0, 4.4, none, none.
_BOLT_HANDSHAKE = bytes.fromhex("6060b017") + bytes([0, 8, 8, 5, 0, 0, 4, 4]) + bytes(8)


def bolt_handshake(port: int) -> bool:
    """Whether a Bolt server on ``port`` agrees to one of our protocol versions."""
    try:
        with socket.create_connection((HOST, port), timeout=2.0) as conn:
            conn.sendall(_BOLT_HANDSHAKE)
            reply = conn.recv(4)
    except OSError:
        return False
    return len(reply) == 4 and reply != b"\0\0\0\0"


class Neo4j(Daemon):
    name = "neo4j"
    start_timeout = 300.0
    stop_timeout = 60.0

    @property
    def port(self) -> int:
        return self.profile.neo4j_bolt_port

    @property
    def url(self) -> str:
        return f"bolt://{HOST}:{self.port}"

    @property
    def home(self) -> Path:
        """Neo4j home: data/ (stores, transaction logs) and logs/ (debug.log and friends)."""
        return self.profile.root / "neo4j"

    @property
    def pidfile(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def logfile(self) -> Path:
        return self.profile.logs / "neo4j.log"

    def owns(self, pid: int) -> bool:
        return f"Launcher --home {self.home} " in cmdline(pid) + " "

    def launch(self) -> None:
        java = ensure_command("java", "openjdk-17-jre-headless")
        build = build_launcher()
        build.cds_partial(self.profile.name).unlink(missing_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        if self.logfile.exists():
            self.logfile.replace(self.logfile.with_suffix(".log.1"))
        # `setsid --fork` puts the JVM in its own session and returns at once; the JVM is
        # re-parented to init, so it outlives this process, which never has to reap it.
        args = ["setsid", "--fork", java, *_JVM_OPTIONS, build.cds_option(self.profile.name)]
        args += ["-cp", build.classpath, "Launcher"]
        args += ["--home", str(self.home), "--bolt-host", HOST, "--bolt-port", str(self.port)]
        env = {**os.environ, "NEO4J_PASSWORD": self.profile.neo4j_password}
        with open(self.logfile, "ab") as log:
            subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                env=env,
                check=True,
            )
        pid = wait_for_pid(self.pidfile, self.owns, timeout=5.0)
        if pid is None:
            raise ServiceError(f"{self.label}: the JVM exited during startup{self.diagnostics()}")
        self.pidfile.write_text(f"{pid}\n")

    def probe(self) -> bool:
        try:
            log = self.logfile.read_text(errors="replace")
        except OSError:
            return False
        return f"READY pid={self.pid()} " in log and bolt_handshake(self.port)

    def exited(self, clean: bool) -> None:
        build = neo4j_build()
        if clean and build.cds_partial(self.profile.name).exists():
            build.cds_partial(self.profile.name).replace(build.cds_archive)

    def detail(self) -> str:
        return f"(user {NEO4J_USER}, password {self.profile.neo4j_password})"

    def diagnostics(self) -> str:
        debug_log = self.home / "logs" / "debug.log"
        return f"{tail(self.logfile)}\n  (Neo4j debug log: {debug_log})"
