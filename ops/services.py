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
and its port is free.
"""

from __future__ import annotations

import abc
import argparse
import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
NEO4J_SRC_DIR = REPO_ROOT / "ops" / "neo4j"
HOST = "127.0.0.1"
SERVICES = ("postgres", "redis", "neo4j")

# Local development credentials, not secrets.
PG_USER = "learngraph"
PG_PASSWORD = "learngraph"  # noqa: S105
NEO4J_USER = "neo4j"

_PROFILE_DEFAULTS: dict[str, dict[str, int | str]] = {
    "dev": {
        "pg_port": 5432,
        "pg_database": "learngraph",
        "redis_port": 6379,
        "neo4j_bolt_port": 7687,
        "neo4j_password": "learngraph-dev",
    },
    "test": {
        "pg_port": 5432,
        "pg_database": "learngraph_test",
        "redis_port": 6390,
        "neo4j_bolt_port": 7688,
        "neo4j_password": "learngraph-test",
    },
    # Private Redis and Neo4j for the tests that stop and start stores on purpose
    # (fault and degraded-mode tests), so that they never disturb the rest of the suite.
    "fault": {
        "pg_port": 5432,
        "pg_database": "learngraph_fault",
        "redis_port": 6391,
        "neo4j_bolt_port": 7689,
        "neo4j_password": "learngraph-fault",
    },
    # Benchmarks fill and empty their stores freely, away from the demo data.
    "bench": {
        "pg_port": 5432,
        "pg_database": "learngraph_bench",
        "redis_port": 6392,
        "neo4j_bolt_port": 7690,
        "neo4j_password": "learngraph-bench",
    },
}
_ENV_OVERRIDES = {
    "pg_port": "LG_PG_PORT",
    "pg_database": "LG_PG_DATABASE",
    "redis_port": "LG_REDIS_PORT",
    "neo4j_bolt_port": "LG_NEO4J_BOLT_PORT",
    "neo4j_password": "LG_NEO4J_PASSWORD",
}

_START_TIMEOUT = {"postgres": 60.0, "redis": 20.0, "neo4j": 300.0}
_NEO4J_JVM_OPTIONS = (
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


class ServiceError(RuntimeError):
    """A service could not be installed, started, stopped or reached."""


@dataclass(frozen=True)
class Profile:
    """Ports, credentials and state directory of one environment (dev or test)."""

    name: str
    pg_port: int
    pg_database: str
    redis_port: int
    neo4j_bolt_port: int
    neo4j_password: str

    @property
    def root(self) -> Path:
        """Directory holding this profile's data, pid files and logs."""
        return VAR_DIR / self.name

    @property
    def logs(self) -> Path:
        """Directory holding this profile's service logs."""
        return self.root / "logs"


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


def get_profile(name: str) -> Profile:
    """Return profile ``name`` with LG_* environment overrides applied."""
    if name not in _PROFILE_DEFAULTS:
        choices = ", ".join(_PROFILE_DEFAULTS)
        raise ServiceError(f"unknown profile {name!r} (expected one of {choices})")
    values = dict(_PROFILE_DEFAULTS[name])
    for key, env_var in _ENV_OVERRIDES.items():
        override = os.environ.get(env_var)
        if override:
            values[key] = int(override) if isinstance(values[key], int) else override
    return Profile(name=name, **values)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- helpers


def _info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(
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


def _poll(predicate: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Call ``predicate`` until it is true or ``timeout`` seconds passed; return its last value."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (serialises concurrent managers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _port_open(port: int) -> bool:
    """Whether something accepts TCP connections on HOST:port."""
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 25) -> str:
    """Last ``lines`` lines of a log file, formatted for an error message."""
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"\n  (no log at {path})"
    return f"\n  --- last lines of {path} ---\n  " + "\n  ".join(text)


def _apt_install(package: str) -> None:
    """Install a Debian package without letting its maintainer scripts start services."""
    if os.geteuid() != 0:
        raise ServiceError(
            f"{package} is missing; install it as root: apt-get install -y {package}"
        )
    _info(f"installing {package} with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    policy = Path("/usr/sbin/policy-rc.d")
    created_policy = not policy.exists()
    if created_policy:  # Debian's hook: "exit 101" means "do not start services"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    install = ["apt-get", "install", "-y", "-q", package]
    try:
        try:
            _run(install, f"apt-get install {package}", timeout=900, env=env)
        except ServiceError:  # stale or missing package lists
            _run(["apt-get", "update", "-q"], "apt-get update", timeout=900, env=env)
            _run(install, f"apt-get install {package}", timeout=900, env=env)
    finally:
        if created_policy:
            policy.unlink()


def _ensure_command(command: str, package: str) -> str:
    """Path of ``command``, installing ``package`` first if it is missing."""
    if shutil.which(command) is None:
        _apt_install(package)
    path = shutil.which(command)
    if path is None:
        raise ServiceError(f"{command} still not found after installing {package}")
    return path


# ----------------------------------------------------------------------------- processes


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (zombies count as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _cmdline(pid: int) -> str:
    """Command line of ``pid`` with arguments joined by spaces ('' if unavailable)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def _cwd(pid: int) -> Path | None:
    """Working directory of ``pid``, or None if unavailable."""
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def _find_pid(pidfile: Path, owns: Callable[[int], bool]) -> int | None:
    """Pid of the live process ``owns`` recognises: from ``pidfile``, else by scanning /proc.

    A pid file naming a dead or foreign process is stale and gets removed.
    """
    try:
        pid: int | None = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        pid = None
    if pid is not None:
        # Right after exec, /proc/<pid>/cmdline is briefly empty: give it a moment.
        if _alive(pid) and _poll(lambda: bool(_cmdline(pid)), 1.0, 0.02) and owns(pid):
            return pid
        pidfile.unlink(missing_ok=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and owns(int(entry.name)) and _alive(int(entry.name)):
            return int(entry.name)
    return None


def _wait_for_pid(pidfile: Path, owns: Callable[[int], bool], *, timeout: float) -> int | None:
    """``_find_pid``, looked up again for a while: a process just forked by ``setsid --fork``
    may not have exec'ed its program yet, and while it does its cmdline is briefly empty."""
    deadline = time.monotonic() + timeout
    while True:
        pid = _find_pid(pidfile, owns)
        if pid is not None or time.monotonic() > deadline:
            return pid
        time.sleep(0.05)


def _terminate(pid: int, label: str, timeout: float) -> bool:
    """SIGTERM ``pid`` and wait for it to exit, escalating to SIGKILL after ``timeout``.

    Returns True if SIGTERM sufficed (a clean shutdown), False if SIGKILL was needed.
    """
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if _poll(lambda: not _alive(pid), wait):
            return sig == signal.SIGTERM
        _info(f"{label}: pid {pid} did not exit within {wait:.0f}s of {sig.name}")
    raise ServiceError(f"{label}: could not stop pid {pid}")


# ------------------------------------------------------------------------------ services


class _Service(abc.ABC):
    """One managed service of one profile."""

    name = ""

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


class _Daemon(_Service):
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
        return _find_pid(self.pidfile, self.owns)

    def start(self) -> None:
        with _lock(self._lockfile):
            if self.pid() is not None:
                return
            if _port_open(self.port):
                raise ServiceError(
                    f"{self.label}: port {HOST}:{self.port} is used by a process not started by "
                    "ops/services.py; stop it or choose another port"
                )
            self.profile.logs.mkdir(parents=True, exist_ok=True)
            self.launch()

    def stop(self) -> None:
        with _lock(self._lockfile):
            pid = self.pid()
            if pid is None:
                return
            clean = _terminate(pid, self.label, self.stop_timeout)
            self.pidfile.unlink(missing_ok=True)
            self.exited(clean)
            if not _poll(lambda: not _port_open(self.port), 10.0):
                raise ServiceError(f"{self.label}: pid {pid} exited but port {self.port} is in use")

    def exited(self, clean: bool) -> None:
        """Hook run after ``stop`` saw the server exit; ``clean`` if SIGTERM sufficed."""

    def diagnostics(self) -> str:
        return _tail(self.logfile)


class _Redis(_Daemon):
    name = "redis"

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
        return _cmdline(pid).split(" ")[0].endswith("redis-server") and _cwd(pid) == self.data_dir

    def launch(self) -> None:
        server = _ensure_command("redis-server", "redis-server")
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
        _run(args, f"{self.label}: redis-server")
        if not _poll(lambda: self.pid() is not None, 5.0):
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


class _Neo4j(_Daemon):
    name = "neo4j"
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
        return f"Launcher --home {self.home} " in _cmdline(pid) + " "

    def launch(self) -> None:
        java = _ensure_command("java", "openjdk-17-jre-headless")
        build = _build_neo4j_launcher()
        build.cds_partial(self.profile.name).unlink(missing_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        if self.logfile.exists():
            self.logfile.replace(self.logfile.with_suffix(".log.1"))
        # `setsid --fork` puts the JVM in its own session and returns at once; the JVM is
        # re-parented to init, so it outlives this process, which never has to reap it.
        args = ["setsid", "--fork", java, *_NEO4J_JVM_OPTIONS, build.cds_option(self.profile.name)]
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
        pid = _wait_for_pid(self.pidfile, self.owns, timeout=5.0)
        if pid is None:
            raise ServiceError(f"{self.label}: the JVM exited during startup{self.diagnostics()}")
        self.pidfile.write_text(f"{pid}\n")

    def probe(self) -> bool:
        try:
            log = self.logfile.read_text(errors="replace")
        except OSError:
            return False
        return f"READY pid={self.pid()} " in log and _bolt_handshake(self.port)

    def exited(self, clean: bool) -> None:
        build = _neo4j_build()
        if clean and build.cds_partial(self.profile.name).exists():
            build.cds_partial(self.profile.name).replace(build.cds_archive)

    def detail(self) -> str:
        return f"(user {NEO4J_USER}, password {self.profile.neo4j_password})"

    def diagnostics(self) -> str:
        debug_log = self.home / "logs" / "debug.log"
        return f"{_tail(self.logfile)}\n  (Neo4j debug log: {debug_log})"


def _bolt_handshake(port: int) -> bool:
    """Whether a Bolt server on ``port`` agrees to one of our protocol versions."""
    try:
        with socket.create_connection((HOST, port), timeout=2.0) as conn:
            conn.sendall(_BOLT_HANDSHAKE)
            reply = conn.recv(4)
    except OSError:
        return False
    return len(reply) == 4 and reply != b"\0\0\0\0"


def _neo4j_version() -> str:
    """The Neo4j version pinned in ops/neo4j/pom.xml."""
    pom = (NEO4J_SRC_DIR / "pom.xml").read_text()
    match = re.search(r"<neo4j\.version>\s*([^<\s]+)\s*</neo4j\.version>", pom)
    if match is None:
        raise ServiceError("neo4j: <neo4j.version> property missing from ops/neo4j/pom.xml")
    return match.group(1)


def _newer(path: Path, than: Path) -> bool:
    """Whether ``path`` exists and is at least as recent as ``than``."""
    return path.exists() and path.stat().st_mtime >= than.stat().st_mtime


@dataclass(frozen=True)
class _Neo4jBuild:
    """The cached jars of one Neo4j version, the compiled launcher and its CDS archive."""

    root: Path

    @property
    def classpath(self) -> str:
        """Java classpath: the Neo4j jars and launcher.jar (jars only, as CDS requires)."""
        return f"{self.root / 'lib'}/*:{self.root / 'launcher.jar'}"

    @property
    def cds_archive(self) -> Path:
        """Class-data-sharing archive (about 110 MB) that makes JVM starts much faster."""
        return self.root / "cds.jsa"

    def cds_partial(self, profile: str) -> Path:
        """Where the profile's JVM writes the CDS archive when it exits.

        A JVM killed while writing leaves a truncated archive, which would crash
        the next JVM (SIGBUS), so it only becomes ``cds_archive`` after a clean stop.
        """
        return self.root / f"cds-{profile}.jsa.partial"

    def cds_option(self, profile: str) -> str:
        """JVM option to use the CDS archive, or to write it at exit if there is none yet."""
        if self.cds_archive.exists():
            return f"-XX:SharedArchiveFile={self.cds_archive}"
        return f"-XX:ArchiveClassesAtExit={self.cds_partial(profile)}"


def _neo4j_build() -> _Neo4jBuild:
    """The build cache of the Neo4j version pinned in ops/neo4j/pom.xml."""
    return _Neo4jBuild(VAR_DIR / "cache" / f"neo4j-{_neo4j_version()}")


def _build_neo4j_launcher() -> _Neo4jBuild:
    """Fetch the Neo4j jars and build launcher.jar unless they are cached and up to date."""
    pom, source = NEO4J_SRC_DIR / "pom.xml", NEO4J_SRC_DIR / "Launcher.java"
    build = _neo4j_build()
    lib, classes, jar = build.root / "lib", build.root / "classes", build.root / "launcher.jar"
    complete = lib / ".complete"
    with _lock(build.root.parent / f".{build.root.name}.lock"):
        if not _newer(complete, pom):
            mvn = _ensure_command("mvn", "maven")
            _info(f"neo4j: downloading Neo4j {_neo4j_version()} from Maven Central into {lib} ...")
            shutil.rmtree(lib, ignore_errors=True)
            copy = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
            copy += [f"-DoutputDirectory={lib}", "-DincludeScope=runtime"]
            _run(copy, "neo4j: maven", timeout=900)
            complete.touch()
        if not (_newer(jar, source) and _newer(jar, complete)):
            javac = _ensure_command("javac", "openjdk-17-jdk-headless")
            _info(f"neo4j: compiling {source} ...")
            shutil.rmtree(classes, ignore_errors=True)
            compile_args = [javac, "--release", "17", "-d", str(classes), "-cp", f"{lib}/*"]
            _run([*compile_args, str(source)], "neo4j: javac")
            jar_tool = _ensure_command("jar", "openjdk-17-jdk-headless")
            _run([jar_tool, "--create", "--file", str(jar), "-C", str(classes), "."], "neo4j: jar")
            for archive in build.root.glob("cds*.jsa*"):  # stale once the classpath changed
                archive.unlink()
    return build


@dataclass(frozen=True)
class _Cluster:
    """One row of Debian's ``pg_lsclusters``."""

    version: str
    name: str
    port: int
    online: bool
    data_dir: Path
    log_file: Path


def _postgres_versions() -> list[str]:
    """Installed PostgreSQL server major versions, oldest first."""
    binaries = Path("/usr/lib/postgresql").glob("*/bin/postgres")
    return sorted((path.parts[-3] for path in binaries), key=int)


def _list_clusters() -> list[_Cluster]:
    """Clusters reported by pg_lsclusters (none if PostgreSQL is not installed)."""
    if shutil.which("pg_lsclusters") is None:
        return []
    output = _run(["pg_lsclusters", "--no-header"], "pg_lsclusters")
    rows = [line.split() for line in output.splitlines()]
    return [
        _Cluster(r[0], r[1], int(r[2]), r[3].startswith("online"), Path(r[5]), Path(r[6]))
        for r in rows
        if len(r) >= 7
    ]


class _Postgres(_Service):
    """The Debian PostgreSQL cluster on the profile's port, shared by all profiles.

    Starting it gives the profile a lease (``var/<profile>/postgres-<port>.lease``).
    Stopping releases the lease and stops the cluster only when no lease is left
    and it was this tool, not the system, that started it.
    """

    name = "postgres"

    @property
    def _lockfile(self) -> Path:
        return VAR_DIR / f".postgres-{self.profile.pg_port}.lock"

    @property
    def _started_marker(self) -> Path:
        """Exists while the cluster runs because this tool started it."""
        return VAR_DIR / f"postgres-{self.profile.pg_port}.started-by-ops"

    @property
    def url(self) -> str:
        port, database = self.profile.pg_port, self.profile.pg_database
        return f"postgresql://{PG_USER}:{PG_PASSWORD}@{HOST}:{port}/{database}"

    @property
    def lease(self) -> Path:
        """Marker that this profile uses the shared cluster."""
        return self.profile.root / f"postgres-{self.profile.pg_port}.lease"

    def start(self) -> None:
        with _lock(self._lockfile):
            cluster = self._ensure_cluster()
            if not cluster.online:
                start = ["pg_ctlcluster", cluster.version, cluster.name, "start"]
                _run(start, f"{self.label}: pg_ctlcluster")
                self._started_marker.touch()
            self.lease.parent.mkdir(parents=True, exist_ok=True)
            self.lease.touch()
        _wait_ready(self, _START_TIMEOUT[self.name])
        self._provision()
        self._ensure_password_login()

    def stop(self) -> None:
        with _lock(self._lockfile):
            self.lease.unlink(missing_ok=True)
            if self._leases() or not self._started_marker.exists():
                return
            cluster = self._find_cluster()
            if cluster is not None and cluster.online:
                stop = ["pg_ctlcluster", cluster.version, cluster.name, "stop", "-m", "fast"]
                _run(stop, f"{self.label}: pg_ctlcluster")
            self._started_marker.unlink()

    def pid(self) -> int | None:
        cluster = self._find_cluster()
        if cluster is None or not cluster.online:
            return None
        try:
            return int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def probe(self) -> bool:
        ready = ["pg_isready", "-q", "-h", HOST, "-p", str(self.profile.pg_port), "-t", "2"]
        return subprocess.run(ready, check=False).returncode == 0

    def detail(self) -> str:
        cluster = self._find_cluster()
        where = f"cluster {cluster.version}/{cluster.name}" if cluster else "no cluster"
        users = ", ".join(lease.parent.name for lease in self._leases()) or "nobody"
        starter = "ops/services.py" if self._started_marker.exists() else "someone else"
        return f"({where}; started by {starter}; used by: {users})"

    def diagnostics(self) -> str:
        cluster = self._find_cluster()
        return _tail(cluster.log_file) if cluster else ""

    def _leases(self) -> list[Path]:
        return sorted(VAR_DIR.glob(f"*/postgres-{self.profile.pg_port}.lease"))

    def _find_cluster(self) -> _Cluster | None:
        return next((c for c in _list_clusters() if c.port == self.profile.pg_port), None)

    def _ensure_cluster(self) -> _Cluster:
        """The cluster on the profile's port, installing PostgreSQL / creating it if needed.

        A new cluster is called ``main``, or ``lg<port>`` if other clusters exist already.
        """
        if shutil.which("pg_lsclusters") is None or not _postgres_versions():
            _apt_install("postgresql")
        cluster = self._find_cluster()
        if cluster is None:
            port = self.profile.pg_port
            name = f"lg{port}" if _list_clusters() else "main"
            create = ["pg_createcluster", _postgres_versions()[-1], name, "--port", str(port)]
            _run(create, f"{self.label}: pg_createcluster")
            cluster = self._find_cluster()
        if cluster is None:
            raise ServiceError(f"{self.label}: pg_createcluster did not create a cluster")
        return cluster

    def _psql_admin(self, script: str, **variables: str) -> str:
        """Run ``script`` as the postgres superuser (peer authentication on the Unix socket)."""
        args = ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At"]
        args += ["-v", "ON_ERROR_STOP=1", "-p", str(self.profile.pg_port), "-d", "postgres"]
        for key, value in variables.items():
            args += ["-v", f"{key}={value}"]
        return _run(args, f"{self.label}: psql", input_text=script)

    def _provision(self) -> None:
        """Create (or repair) the application role and this profile's database."""
        self._psql_admin(
            "SELECT format('CREATE ROLE %I', :'role')"
            " WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec\n"
            "SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \\gexec\n"
            "SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')"
            " WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec\n"
            "SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \\gexec\n",
            role=PG_USER,
            pw=PG_PASSWORD,
            db=self.profile.pg_database,
        )

    def _password_login_works(self) -> bool:
        login = ["psql", "-X", "-At", "-c", "SELECT 1", f"{self.url}?connect_timeout=5"]
        result = subprocess.run(login, capture_output=True, text=True, check=False)
        return result.returncode == 0 and result.stdout.strip() == "1"

    def _ensure_password_login(self) -> None:
        """Make sure the role can log in with its password over TCP, fixing pg_hba.conf if not."""
        if self._password_login_works():
            return
        hba = Path(self._psql_admin("SHOW hba_file").strip())
        rule = f"host all {PG_USER} {HOST}/32 scram-sha-256"
        if rule not in hba.read_text():
            _info(f"{self.label}: adding '{rule}' to {hba}")
            hba.write_text(f"{rule}  # added by ops/services.py\n{hba.read_text()}")
            self._psql_admin("SELECT pg_reload_conf()")
        if not _poll(self._password_login_works, 5.0, 0.5):
            raise ServiceError(
                f"{self.label}: password login as {PG_USER} over TCP fails; see {hba}"
            )


_SERVICE_CLASSES: dict[str, type[_Service]] = {
    "postgres": _Postgres,
    "redis": _Redis,
    "neo4j": _Neo4j,
}


def _service(name: str, profile: str) -> _Service:
    if name not in _SERVICE_CLASSES:
        raise ServiceError(f"unknown service {name!r} (expected one of {', '.join(SERVICES)})")
    return _SERVICE_CLASSES[name](get_profile(profile))


def _wait_ready(service: _Service, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if service.pid() is None:
            raise ServiceError(f"{service.label} is not running{service.diagnostics()}")
        if service.probe():
            return
        if time.monotonic() >= deadline:
            raise ServiceError(
                f"{service.label} not ready after {timeout:.0f}s{service.diagnostics()}"
            )
        time.sleep(0.2)


# ---------------------------------------------------------------------------- public API


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
    neo4j 120 s). Raises ServiceError at once if the service is not running, or
    after the timeout, with the tail of the service's log in the message.
    """
    service = _service(name, profile)
    _wait_ready(service, _START_TIMEOUT[name] if timeout is None else timeout)


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


# ----------------------------------------------------------------------------------- CLI


def _start_and_report(name: str, profile: str) -> None:
    started = time.monotonic()
    start_service(name, profile)
    elapsed = time.monotonic() - started
    print(f"{service_status(name, profile).line()}  [{elapsed:.1f}s]", flush=True)


def _stop_and_report(name: str, profile: str) -> None:
    stop_service(name, profile)
    print(service_status(name, profile).line(), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="ops/services.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status", "start", "stop"))
    parser.add_argument("service", nargs="?", choices=SERVICES, help="service to start/stop")
    parser.add_argument("--profile", default="dev", choices=sorted(_PROFILE_DEFAULTS))
    args = parser.parse_args(argv)
    if (args.command in ("start", "stop")) != (args.service is not None):
        parser.error("start/stop need a service name; up/down/status take none")
    try:
        if args.command == "status":
            statuses = [service_status(name, args.profile) for name in SERVICES]
            for status in statuses:
                print(status.line())
            return 0 if all(status.ready for status in statuses) else 3
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
