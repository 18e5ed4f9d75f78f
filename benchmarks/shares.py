"""`python -m benchmarks.shares FILE.collapsed.gz ...`: where a profile's samples go, by package.

Reads py-spy's folded stacks and prints, per file, each package's share of the samples at the
leaf (self time) and, for the frames named with --frame, their share anywhere on the stack.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

__all__ = ["main", "package_of", "shares"]

# py-spy names a frame `function (path:line)`, the path relative to its sys.path entry
FILE = re.compile(r"\(([^():]+):\d+\)$")


def package_of(frame: str) -> str:
    """The package a folded frame belongs to: the first folder of its file, or "stdlib"."""
    found = FILE.search(frame.strip())
    if found is None:
        return "other"
    head, slash, _ = found.group(1).lstrip("<").partition("/")
    return head if slash else "stdlib"


def _stacks(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    with gzip.open(path, "rt") as folded:
        for line in folded:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack:
                stacks.append((stack.split(";"), int(count)))
    return stacks


def shares(path: Path, frames: list[str]) -> tuple[Counter[str], Counter[str], int]:
    """(samples by leaf package, samples with each named frame anywhere, total samples)."""
    leaves: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for stack, count in _stacks(path):
        total += count
        leaves[package_of(stack[-1])] += count
        for frame in frames:
            if any(frame in entry for entry in stack):
                anywhere[frame] += count
    return leaves, anywhere, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.shares")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--frame", action="append", default=[], help="a frame to total")
    parser.add_argument("--top", type=int, default=12)
    arguments = parser.parse_args(argv)
    for path in arguments.files:
        leaves, anywhere, total = shares(path, arguments.frame)
        top = ", ".join(
            f"{name} {100 * n / total:.0f}%" for name, n in leaves.most_common(arguments.top)
        )
        print(f"{path.name} ({total} samples): {top}")
        for frame, count in anywhere.items():
            print(f"  {frame}: {100 * count / total:.0f}% of samples")


if __name__ == "__main__":
    main()
