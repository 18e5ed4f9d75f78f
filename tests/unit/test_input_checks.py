"""The edge's string and list checks, on the real schema, without any store."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import GraphQLSchema, parse

from schema.extensions.input_checks import input_plan, input_problems
from schema.schema import build_schema

SEARCH = "query($s: String) { concepts(filter: {search: $s}) { totalCount } }"


@cache
def _schema() -> GraphQLSchema:
    return build_schema()._schema


def _fields(document: str, variables: dict[str, Any] | None = None) -> list[str]:
    return [problem.field for problem in input_problems(_schema(), parse(document), variables)]


def test_clean_inputs_have_no_problems() -> None:
    assert _fields(SEARCH, {"s": "graphs and trees 😀"}) == []


def test_nul_and_lone_surrogates_are_problems_wherever_they_are() -> None:
    assert _fields(SEARCH, {"s": "a\x00"}) == ["filter.search"]
    assert _fields(SEARCH, {"s": "a\udc00"}) == ["filter.search"]
    assert _fields('{ concepts(filter: {search: "\\u0000"}) { totalCount } }') == ["filter.search"]


def test_a_default_value_is_checked_as_written() -> None:
    document = 'query($s: String = "x\\u0000") { concepts(filter: {search: $s}) { totalCount } }'
    assert _fields(document) == ["s"]


def test_an_unused_variable_is_checked_by_its_declared_type() -> None:
    document = "query($unused: [String!]) { me { id } }"
    assert _fields(document, {"unused": ["x"] * 101}) == ["unused"]


def test_list_items_are_named_by_their_index() -> None:
    document = "mutation($i: CreateConceptInput!) { createConcept(input: $i) { errors { code } } }"
    concept = {
        "name": "x",
        "displayName": "X",
        "difficulty": "BEGINNER",
        "keyTerms": ["ok", "\x00"],
    }
    assert _fields(document, {"i": concept}) == ["keyTerms[1]"]


def test_a_mutation_with_a_payload_answers_its_problems_there() -> None:
    document = (
        "mutation($i: CreateConceptInput!) { made: createConcept(input: $i) { errors { code } } }"
    )
    concept = {"name": "x\x00", "displayName": "X", "difficulty": "BEGINNER"}
    [problem] = input_problems(_schema(), parse(document), {"i": concept})
    assert (problem.payload, problem.field) == ("made", "name")
    assert input_problems(_schema(), parse(SEARCH), {"s": "\x00"})[0].payload is None


def test_an_over_long_string_is_refused_by_its_length_alone() -> None:
    # a megabyte of NULs is reported as too long: the cap is checked before any scan
    problems = input_problems(_schema(), parse(SEARCH), {"s": "\x00" * 1_000_000})
    assert [p.message for p in problems] == ["filter.search must be at most 200 characters"]


def test_one_document_is_planned_once_and_checked_with_each_requests_variables() -> None:
    document = parse(SEARCH)
    plan = input_plan(_schema(), document)
    assert input_plan(_schema(), document) is plan
    assert [p.field for p in plan.problems({"s": "fine"})] == []
    assert [p.field for p in plan.problems({"s": "\x00"})] == ["filter.search"]
    assert [p.field for p in plan.problems({})] == []


def test_a_variable_used_twice_is_checked_at_each_field_it_fills() -> None:
    document = parse(
        "query($s: String) { a: concepts(filter: {search: $s}) { totalCount }"
        " b: concept(name: $s) { id } }"
    )
    found = input_plan(_schema(), document).problems({"s": "y" * 201})
    assert [p.field for p in found] == ["filter.search", "name"]


def test_an_unused_variable_is_checked_only_when_it_has_a_value() -> None:
    plan = input_plan(_schema(), parse("query($unused: [String!]) { me { id } }"))
    assert plan.problems({}) == []
    assert [p.field for p in plan.problems({"unused": ["\x00"]})] == ["unused[0]"]


def test_problems_stop_at_twenty() -> None:
    document = parse("query($s: [String!]) { conceptsByName: concepts { totalCount } }")
    plan = input_plan(_schema(), document)
    assert len(plan.problems({"s": ["\x00"] * 30})) == 20
