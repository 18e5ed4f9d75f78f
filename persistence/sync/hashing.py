"""A stable hash of the properties written to the graph, to tell outside edits apart."""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["content_hash"]


def content_hash(properties: dict[str, Any]) -> str:
    canonical = json.dumps(properties, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
