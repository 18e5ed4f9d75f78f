"""Tables and JSON for the operator's commands (rich on a terminal, plain columns in a pipe)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console
    from rich.table import Table

__all__ = ["as_json", "console", "table"]


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    """Left-aligned first column, numbers right-aligned, a simple rule under the header."""
    from rich import box
    from rich.table import Table

    shown = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for index, name in enumerate(columns):
        shown.add_column(name, justify="left" if index == 0 else "right", no_wrap=True)
    for row in rows:
        shown.add_row(*(str(cell) for cell in row))
    return shown


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def as_json(value: Any) -> str:
    """Dataclasses, dicts, lists and datetimes (ISO 8601) as indented JSON."""
    return json.dumps(_plain(value), indent=2, sort_keys=False)
