"""Waiting on a condition instead of sleeping a fixed time (the project's one wait, ops.core)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ops.core import wait_until, wait_until_async

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["eventually", "eventually_async"]

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], *, timeout: float = 15.0, interval: float = 0.1) -> T:
    """The first truthy result of probe, or AssertionError once timeout has passed."""
    last: list[T | None] = [None]

    def remembered() -> T | None:
        last[0] = probe()
        return last[0]

    result = wait_until(remembered, timeout=timeout, interval=interval)
    if result is None:
        raise AssertionError(f"condition not met within {timeout}s (last: {last[0]!r})")
    return result


async def eventually_async(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool],
    *,
    within: float = 15.0,
    interval: float = 0.05,
) -> T:
    """The first result of probe that accept takes; the event loop runs while waiting."""
    last: list[T] = []

    async def accepted() -> bool:
        last[:] = [await probe()]
        return accept(last[0])

    if not await wait_until_async(accepted, within=within, interval=interval):
        shown = repr(last[0]) if last else "none"
        raise AssertionError(f"condition not met within {within}s (last: {shown})")
    return last[0]
