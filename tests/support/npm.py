"""Node packages for tests: `npm ci` of a locked project into a cache the runs share."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from typing import TYPE_CHECKING

from tests.support.system import REPO, exclusive, require_command

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["node_modules"]

CACHE = REPO / "var" / "cache" / "npm"
MANIFESTS = ("package.json", "package-lock.json")


def _digest(project: Path) -> str:
    content = b"".join((project / name).read_bytes() for name in MANIFESTS)
    return hashlib.sha256(content).hexdigest()[:16]


def node_modules(project: Path) -> Path:
    """The node_modules of ``project``'s lock, installed once per lock (npm checks integrity)."""
    npm = require_command("npm", "npm")
    target = CACHE / f"{project.name}-{_digest(project)}"
    installed = target / ".installed"
    with exclusive("npm"):
        if not installed.exists():
            target.mkdir(parents=True, exist_ok=True)
            for name in MANIFESTS:
                shutil.copy(project / name, target / name)
            args = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
            subprocess.run(args, cwd=target, capture_output=True, check=True)
            installed.touch()
    return target / "node_modules"
