"""A prerequisite chain in learning order: each concept after its own prerequisites."""

from __future__ import annotations

from domain.learning_order import ChainNode, learning_order


def node(name: str, *needs: str) -> ChainNode:
    return ChainNode(name, name, frozenset(needs))


def is_valid(order: list[str], nodes: list[ChainNode]) -> bool:
    place = {value: index for index, value in enumerate(order)}
    return all(place[need] < place[n.id] for n in nodes for need in n.prerequisite_ids)


def test_each_concept_comes_after_its_prerequisites_and_ties_go_by_name() -> None:
    # given a diamond: d needs b and c, which both need a; e needs nothing
    nodes = [node("d", "b", "c"), node("c", "a"), node("b", "a"), node("a"), node("e")]
    # when they are put in learning order
    order = learning_order(nodes)
    # then every concept follows its prerequisites, once each, ready ones by name
    assert order == ["a", "b", "c", "d", "e"]
    assert is_valid(order, nodes)


def test_a_name_early_in_the_alphabet_still_waits_for_its_prerequisites() -> None:
    nodes = [node("algorithms", "programming"), node("programming")]
    assert learning_order(nodes) == ["programming", "algorithms"]


def test_prerequisites_outside_the_chain_are_ignored() -> None:
    assert learning_order([node("b", "outside"), node("a", "b")]) == ["b", "a"]


def test_a_cycle_loses_no_concept_and_repeats_none() -> None:
    # given a cycle (authoring refuses them, but the graph is not trusted blindly)
    nodes = [node("x", "y"), node("y", "x"), node("a")]
    # then every concept appears exactly once, the acyclic ones first
    assert learning_order(nodes) == ["a", "x", "y"]


def test_an_empty_chain_is_empty() -> None:
    assert learning_order([]) == []
