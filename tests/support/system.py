"""Tools from the machine's package manager that some tests drive (Node, Chromium).

Installed with apt on first use when missing, so a fresh Debian machine runs the whole suite.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["REPO", "exclusive", "require_command"]

REPO = Path(__file__).parents[2]
LOCKS = REPO / "var" / "cache" / "locks"


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """One holder at a time across processes (several test runs may share a machine)."""
    LOCKS.mkdir(parents=True, exist_ok=True)
    with (LOCKS / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _apt_install(package: str) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", package]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)


def require_command(command: str, package: str) -> str:
    """The path of ``command``, installing Debian's ``package`` first when it is missing."""
    with exclusive("apt"):
        if shutil.which(command) is None:
            _apt_install(package)
    found = shutil.which(command)
    assert found, f"{command} is still missing after installing {package}"
    return found
