"""The embedded Neo4j's build: its jars from Maven Central, launcher.jar, and the CDS archive.

Built once per Neo4j version (pinned in ops/neo4j/pom.xml) into var/cache/neo4j-<version>/.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ops.core import REPO_ROOT, VAR_DIR, ServiceError, ensure_command, info, locked, run

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["NEO4J_SRC_DIR", "Neo4jBuild", "build_launcher", "neo4j_build"]

NEO4J_SRC_DIR = REPO_ROOT / "ops" / "neo4j"


def neo4j_version() -> str:
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
class Neo4jBuild:
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


def neo4j_build() -> Neo4jBuild:
    """The build cache of the Neo4j version pinned in ops/neo4j/pom.xml."""
    return Neo4jBuild(VAR_DIR / "cache" / f"neo4j-{neo4j_version()}")


def _fetch_jars(lib: Path, pom: Path) -> None:
    mvn = ensure_command("mvn", "maven")
    info(f"neo4j: downloading Neo4j {neo4j_version()} from Maven Central into {lib} ...")
    shutil.rmtree(lib, ignore_errors=True)
    copy = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
    copy += [f"-DoutputDirectory={lib}", "-DincludeScope=runtime"]
    run(copy, "neo4j: maven", timeout=900)
    (lib / ".complete").touch()


def _compile_launcher(build: Neo4jBuild, source: Path) -> None:
    lib, classes = build.root / "lib", build.root / "classes"
    javac = ensure_command("javac", "openjdk-17-jdk-headless")
    info(f"neo4j: compiling {source} ...")
    shutil.rmtree(classes, ignore_errors=True)
    compile_args = [javac, "--release", "17", "-d", str(classes), "-cp", f"{lib}/*"]
    run([*compile_args, str(source)], "neo4j: javac")
    jar_tool = ensure_command("jar", "openjdk-17-jdk-headless")
    jar = build.root / "launcher.jar"
    run([jar_tool, "--create", "--file", str(jar), "-C", str(classes), "."], "neo4j: jar")
    for archive in build.root.glob("cds*.jsa*"):  # stale once the classpath changed
        archive.unlink()


def build_launcher() -> Neo4jBuild:
    """Fetch the Neo4j jars and build launcher.jar unless they are cached and up to date."""
    pom, source = NEO4J_SRC_DIR / "pom.xml", NEO4J_SRC_DIR / "Launcher.java"
    build = neo4j_build()
    complete = build.root / "lib" / ".complete"
    with locked(build.root.parent / f".{build.root.name}.lock"):
        if not _newer(complete, pom):
            _fetch_jars(build.root / "lib", pom)
        jar = build.root / "launcher.jar"
        if not (_newer(jar, source) and _newer(jar, complete)):
            _compile_launcher(build, source)
    return build
