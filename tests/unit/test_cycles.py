"""Prerequisite cycle detection, without IO."""

from __future__ import annotations

from domain.cycles import closes_cycle, reachable_from

CHAIN = [("a", "b"), ("b", "c"), ("c", "d")]


def test_reachable_nodes_follow_edges_in_their_direction() -> None:
    assert reachable_from("b", CHAIN) == {"c", "d"}
    assert reachable_from("d", CHAIN) == set()


def test_a_node_reaches_itself_only_when_it_lies_on_a_loop() -> None:
    assert "a" not in reachable_from("a", CHAIN)
    assert "a" in reachable_from("a", [*CHAIN, ("d", "a")])


def test_linking_the_end_of_a_chain_back_to_its_start_closes_a_cycle() -> None:
    assert closes_cycle("d", "a", CHAIN)


def test_a_link_along_the_chain_or_beside_it_closes_no_cycle() -> None:
    assert not closes_cycle("a", "d", CHAIN)
    assert not closes_cycle("x", "a", CHAIN)
    assert not closes_cycle("a", "c", CHAIN)


def test_a_self_link_is_a_cycle() -> None:
    assert closes_cycle("a", "a", [])


def test_a_diamond_is_not_a_cycle_but_its_reverse_diagonal_is() -> None:
    diamond = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
    assert not closes_cycle("b", "c", diamond)
    assert closes_cycle("d", "a", diamond)
