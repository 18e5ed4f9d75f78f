"""PostgreSQL from Debian's packages: one cluster on the profile's port, shared by profiles."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ops.core import HOST, VAR_DIR, ServiceError, apt_install, info, locked, run, tail, wait_until
from ops.profiles import PG_PASSWORD, PG_USER
from ops.supervision import Service, wait_ready

__all__ = ["Postgres"]


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
    output = run(["pg_lsclusters", "--no-header"], "pg_lsclusters")
    rows = [line.split() for line in output.splitlines()]
    return [
        _Cluster(r[0], r[1], int(r[2]), r[3].startswith("online"), Path(r[5]), Path(r[6]))
        for r in rows
        if len(r) >= 7
    ]


class Postgres(Service):
    """The Debian PostgreSQL cluster on the profile's port, shared by all profiles.

    Starting it gives the profile a lease (``var/<profile>/postgres-<port>.lease``).
    Stopping releases the lease and stops the cluster only when no lease is left
    and it was this tool, not the system, that started it.
    """

    name = "postgres"
    start_timeout = 60.0

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
        with locked(self._lockfile):
            cluster = self._ensure_cluster()
            if not cluster.online:
                start = ["pg_ctlcluster", cluster.version, cluster.name, "start"]
                run(start, f"{self.label}: pg_ctlcluster")
                self._started_marker.touch()
            self.lease.parent.mkdir(parents=True, exist_ok=True)
            self.lease.touch()
        wait_ready(self, self.start_timeout)
        self._provision()
        self._ensure_password_login()

    def stop(self) -> None:
        with locked(self._lockfile):
            self.lease.unlink(missing_ok=True)
            if self._leases() or not self._started_marker.exists():
                return
            cluster = self._find_cluster()
            if cluster is not None and cluster.online:
                stop = ["pg_ctlcluster", cluster.version, cluster.name, "stop", "-m", "fast"]
                run(stop, f"{self.label}: pg_ctlcluster")
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
        return tail(cluster.log_file) if cluster else ""

    def _leases(self) -> list[Path]:
        return sorted(VAR_DIR.glob(f"*/postgres-{self.profile.pg_port}.lease"))

    def _find_cluster(self) -> _Cluster | None:
        return next((c for c in _list_clusters() if c.port == self.profile.pg_port), None)

    def _ensure_cluster(self) -> _Cluster:
        """The cluster on the profile's port, installing PostgreSQL / creating it if needed.

        A new cluster is called ``main``, or ``lg<port>`` if other clusters exist already.
        """
        if shutil.which("pg_lsclusters") is None or not _postgres_versions():
            apt_install("postgresql")
        cluster = self._find_cluster()
        if cluster is None:
            port = self.profile.pg_port
            name = f"lg{port}" if _list_clusters() else "main"
            create = ["pg_createcluster", _postgres_versions()[-1], name, "--port", str(port)]
            run(create, f"{self.label}: pg_createcluster")
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
        return run(args, f"{self.label}: psql", input_text=script)

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
            info(f"{self.label}: adding '{rule}' to {hba}")
            hba.write_text(f"{rule}  # added by ops/services.py\n{hba.read_text()}")
            self._psql_admin("SELECT pg_reload_conf()")
        if not wait_until(self._password_login_works, timeout=5.0, interval=0.5):
            raise ServiceError(
                f"{self.label}: password login as {PG_USER} over TCP fails; see {hba}"
            )
