"""Latency samples and their percentiles; closed-loop request drivers at a concurrency."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["Samples", "percentile", "run_closed_loop"]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Samples:
    """Seconds per operation, plus anything counted per operation."""

    seconds: list[float] = field(default_factory=list)
    counts: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.seconds, fraction) * 1000

    @property
    def p50_ms(self) -> float:
        return self.p(0.5)

    @property
    def rate(self) -> float:
        """Operations per second over the whole run."""
        return len(self.seconds) / self.elapsed if self.elapsed else float("nan")

    @property
    def mean_count(self) -> float:
        return statistics.fmean(self.counts) if self.counts else float("nan")

    def extend(self, other: Samples) -> None:
        self.seconds += other.seconds
        self.counts += other.counts
        self.elapsed += other.elapsed


async def run_closed_loop(
    operation: Callable[[int], Awaitable[float]], *, total: int, concurrency: int
) -> Samples:
    """`total` operations by `concurrency` callers; each returns a count (e.g. round trips)."""
    samples = Samples()
    next_index = iter(range(total))

    async def caller() -> None:
        for index in next_index:
            started = time.perf_counter()
            count = await operation(index)
            samples.seconds.append(time.perf_counter() - started)
            samples.counts.append(count)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    samples.elapsed = time.perf_counter() - started
    return samples
