"""The trusted-document manifest: a JSON file in Apollo's persisted-query manifest format.

    {"format": "apollo-persisted-query-manifest", "version": 1,
     "operations": [{"id": "<sha256 of body>", "name": "Dashboard", "type": "query", "body": "..."}]}

The API reads it at start-up and again whenever the file changes, so registering operations
needs no restart.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.trusted_documents import TrustedOperation

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Manifest", "ManifestFile", "read_manifest", "write_manifest"]

FORMAT = "apollo-persisted-query-manifest"


@dataclass(frozen=True)
class Manifest:
    """Trusted operations by id (the sha256 of their body)."""

    operations: dict[str, TrustedOperation] = field(default_factory=dict)

    def with_operations(self, added: list[TrustedOperation]) -> Manifest:
        return Manifest({**self.operations, **{operation.id: operation for operation in added}})


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; an empty one when there is no file yet."""
    if not path.is_file():
        return Manifest()
    content = json.loads(path.read_text(encoding="utf-8"))
    if content.get("format") != FORMAT:
        raise ValueError(f"{path} is not an {FORMAT} file")
    operations = [TrustedOperation(o["name"], o["type"], o["body"]) for o in content["operations"]]
    return Manifest({operation.id: operation for operation in operations})


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    entries = [
        {"id": o.id, "name": o.name, "type": o.kind, "body": o.body}
        for o in sorted(manifest.operations.values(), key=lambda o: (o.name, o.id))
    ]
    content = {"format": FORMAT, "version": 1, "operations": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


class ManifestFile:
    """The manifest as the API sees it: read again when the file's modification time changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: int | None = None
        self._manifest = Manifest()

    def current(self) -> Manifest:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            self._manifest = read_manifest(self.path)
            self._stamp = stamp
        return self._manifest
