"""One result row per comparison; the printed table and latest.json."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Result", "machine_info", "print_table", "write_results"]


@dataclass
class Result:
    """ours vs baseline; ratio = ours / baseline for times, baseline / ours for rates."""

    name: str
    ours: float | None
    baseline: float | None
    ratio: float | None
    goal: str
    meets_goal: bool | None
    unit: str
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def not_run(name: str, goal: str, unit: str, reason: str) -> Result:
    return Result(name, None, None, None, goal, None, unit, notes=f"not run: {reason}")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return round(pages / 2**30, 1)
    except (ValueError, OSError):
        return 0.0


def machine_info() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gib": _ram_gib(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": list(os.getloadavg()),
    }


def _cell(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _meets(result: Result) -> str:
    return {True: "yes", False: "NO", None: "-"}[result.meets_goal]


def print_table(results: list[Result]) -> str:
    header = ("name", "ours", "baseline", "ratio", "goal", "meets", "unit")
    rows = [
        (r.name, _cell(r.ours), _cell(r.baseline), _cell(r.ratio), r.goal, _meets(r), r.unit)
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.notes}" for r in results if r.notes]
    text = "\n".join(lines + (["", "notes:", *notes] if notes else []))
    print(text)
    return text


# the first word of a row's name says which suite wrote it
SUITE_OF_PREFIX = {
    "read": "reads",
    "write": "writes",
    "sync": "sync",
    "lag": "lag",
    "backlog": "backlog",
    "reconcile": "reconcile",
}


def _kept_rows(latest: Path, suites: list[str]) -> list[dict[str, Any]]:
    """The rows of an earlier latest.json that suites other than these wrote."""
    if not latest.exists():
        return []
    rows: list[dict[str, Any]] = json.loads(latest.read_text())
    return [row for row in rows if SUITE_OF_PREFIX.get(row["name"].split(".")[0]) not in suites]


def write_results(
    results: list[Result], directory: Path, *, scale: str, suites: list[str] | None = None
) -> Path:
    """latest.json (the rows) and machine.json (where and when they were measured).

    With `suites` (a run of only some), the rows other suites wrote earlier are kept, and
    machine.json says which suites this run measured and when the kept rows were.
    """
    directory.mkdir(parents=True, exist_ok=True)
    latest = directory / "latest.json"
    earlier = directory / "machine.json"
    kept = _kept_rows(latest, suites) if suites is not None else []
    rows = [asdict(r) for r in results] + kept
    latest.write_text(json.dumps(rows, indent=2, default=str) + "\n")
    machine: dict[str, Any] = {
        **machine_info(),
        "scale": scale,
        "finished_at": datetime.now(UTC).isoformat(),
    }
    if kept:
        before = json.loads(earlier.read_text()) if earlier.exists() else {}
        machine["suites_measured"] = suites
        machine["other_rows_from"] = before.get("other_rows_from", before.get("finished_at"))
    earlier.write_text(json.dumps(machine, indent=2) + "\n")
    return latest
