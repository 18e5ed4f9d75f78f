"""The merge-join pairs two key-sorted streams in one pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from persistence.reconcile.merge_join import UnsortedStreamError, merge_join

if TYPE_CHECKING:
    from collections.abc import Iterator


def pairs(left: list[str], right: list[str]) -> list[tuple[str, str | None, str | None]]:
    joined = merge_join(left, right, left_key=str, right_key=str)
    return [(item.key, item.left, item.right) for item in joined]


def test_keys_on_both_sides_are_paired_and_the_rest_stand_alone() -> None:
    # given two sorted streams sharing b and d
    left, right = ["a", "b", "d"], ["b", "c", "d", "e"]
    # when they are joined
    joined = pairs(left, right)
    # then every key appears once, in order, with what each side holds
    assert joined == [
        ("a", "a", None),
        ("b", "b", "b"),
        ("c", None, "c"),
        ("d", "d", "d"),
        ("e", None, "e"),
    ]


def test_an_empty_side_leaves_the_other_alone() -> None:
    assert pairs([], ["x"]) == [("x", None, "x")]
    assert pairs(["x"], []) == [("x", "x", None)]
    assert pairs([], []) == []


def test_ids_compare_as_strings_like_both_stores_order_them() -> None:
    # given uuid-like keys and composite "left:right" keys, sorted as text
    left = ["0a-1", "0a-1:ff", "9z", "a0"]
    right = ["0a-1:ff", "a0", "b"]
    # when joined
    joined = pairs(left, right)
    # then shared keys meet even across digits and letters
    assert [key for key, mine, theirs in joined if mine and theirs] == ["0a-1:ff", "a0"]


def test_a_stream_out_of_order_is_refused() -> None:
    # given a left stream whose keys go backwards
    # when it is joined, then the join refuses rather than pairing wrongly
    with pytest.raises(UnsortedStreamError):
        pairs(["b", "a"], ["a", "b"])
    with pytest.raises(UnsortedStreamError):
        pairs(["a"], ["a", "a"])


def test_the_join_pulls_lazily_so_memory_stays_flat() -> None:
    # given two endless streams
    def evens() -> Iterator[str]:
        n = 0
        while True:
            yield f"{n:08d}"
            n += 2

    def threes() -> Iterator[str]:
        n = 0
        while True:
            yield f"{n:08d}"
            n += 3

    # when the first few joined items are taken
    joined = merge_join(evens(), threes(), left_key=str, right_key=str)
    first = [next(joined) for _ in range(5)]
    # then they come without reading either stream to its end
    assert [(j.key, j.left is not None, j.right is not None) for j in first] == [
        ("00000000", True, True),
        ("00000002", True, False),
        ("00000003", False, True),
        ("00000004", True, False),
        ("00000006", True, True),
    ]
