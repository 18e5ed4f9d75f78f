"""Merge-join of two streams sorted by key: one pass, constant memory, whatever their size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["Joined", "UnsortedStreamError", "merge_join"]

L = TypeVar("L")
R = TypeVar("R")


class UnsortedStreamError(ValueError):
    """A stream's keys did not strictly increase, so the join would be wrong."""


@dataclass(frozen=True)
class Joined(Generic[L, R]):
    """One key and what each side holds under it (None where a side has nothing)."""

    key: str
    left: L | None
    right: R | None


class _Cursor(Generic[L]):
    """The head of one stream: its key and item, None once the stream is exhausted."""

    def __init__(self, items: Iterable[L], key: Callable[[L], str], side: str) -> None:
        self._items = iter(items)
        self._key = key
        self._side = side
        self.head: tuple[str, L] | None = None
        self.advance()

    def advance(self) -> None:
        previous = self.head[0] if self.head else None
        for item in self._items:
            self.head = (self._key(item), item)
            if previous is not None and self.head[0] <= previous:
                raise UnsortedStreamError(f"{self._side} key {self.head[0]!r} after {previous!r}")
            return
        self.head = None


def merge_join(
    left: Iterable[L],
    right: Iterable[R],
    *,
    left_key: Callable[[L], str],
    right_key: Callable[[R], str],
) -> Iterator[Joined[L, R]]:
    """Pairs items of two streams, each sorted by a strictly increasing string key."""
    lefts = _Cursor(left, left_key, "left")
    rights = _Cursor(right, right_key, "right")
    while lefts.head or rights.head:
        if lefts.head and (rights.head is None or lefts.head[0] < rights.head[0]):
            yield Joined(lefts.head[0], lefts.head[1], None)
            lefts.advance()
        elif rights.head and (lefts.head is None or rights.head[0] < lefts.head[0]):
            yield Joined(rights.head[0], None, rights.head[1])
            rights.advance()
        elif lefts.head and rights.head:
            yield Joined(lefts.head[0], lefts.head[1], rights.head[1])
            lefts.advance()
            rights.advance()
