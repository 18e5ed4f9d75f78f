"""The vendored GraphiQL files: what the lock says they are, and a check that they still are."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LOCK", "STATIC", "VENDORED", "Asset", "altered_assets", "assets", "read_lock", "sri"]

HERE = Path(__file__).parent
LOCK = HERE / "vendor.lock.json"
STATIC = HERE / "static"  # served at /static/graphiql
VENDORED = STATIC / "vendor"  # the npm packages' files; the rest of STATIC is ours


@dataclass(frozen=True)
class Asset:
    """One file taken from an npm package, kept in VENDORED under ``name``."""

    package: str
    version: str
    source: str  # path inside the package's tarball
    name: str
    sha384: str  # subresource-integrity value of the file, "sha384-..."

    @property
    def path(self) -> Path:
        return VENDORED / self.name


def sri(content: bytes) -> str:
    """The subresource-integrity value of ``content`` (what browsers check before running it)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def read_lock() -> dict[str, Any]:
    lock: dict[str, Any] = json.loads(LOCK.read_text(encoding="utf-8"))
    return lock


@cache
def assets() -> tuple[Asset, ...]:
    """Every vendored file, in the lock's order."""
    return tuple(
        Asset(package["name"], package["version"], source, entry["name"], entry["sha384"])
        for package in read_lock()["packages"]
        for source, entry in package["files"].items()
    )


def altered_assets() -> list[str]:
    """Names of vendored files that are missing or differ from the lock (empty when all hold)."""
    return [
        asset.name
        for asset in assets()
        if not asset.path.is_file() or sri(asset.path.read_bytes()) != asset.sha384
    ]
