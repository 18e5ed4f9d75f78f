"""A parsed document's validation is kept by its identity: the same errors as validating anew."""

from __future__ import annotations

from graphql import parse, specified_rules
from graphql.validation import NoUnusedFragmentsRule

from schema.extensions.validation import validated
from schema.schema import build_schema

SCHEMA = build_schema()._schema
RULES = tuple(specified_rules)


def test_a_kept_document_gets_the_errors_it_got_the_first_time() -> None:
    document = parse("{ concepts(first: 1) { nope } }")
    first = validated(SCHEMA, document, RULES, maxsize=8)
    assert [error.message for error in first] == [
        "Cannot query field 'nope' on type 'ConceptConnection'."
    ]
    assert validated(SCHEMA, document, RULES, maxsize=8) is first


def test_the_same_text_parsed_again_is_validated_again() -> None:
    text = "{ __typename }"
    first, second = parse(text), parse(text)
    assert validated(SCHEMA, first, RULES, maxsize=8) == []
    assert validated(SCHEMA, second, RULES, maxsize=8) == []


def test_other_rules_validate_the_same_document_again() -> None:
    document = parse("{ __typename } fragment Unused on Query { __typename }")
    assert validated(SCHEMA, document, (), maxsize=8) == []
    found = validated(SCHEMA, document, (NoUnusedFragmentsRule,), maxsize=8)
    assert [error.message for error in found] == ["Fragment 'Unused' is never used."]


def test_the_least_recently_used_document_is_forgotten_beyond_the_bound() -> None:
    documents = [parse(f"{{ a{index}: __typename }}") for index in range(3)]
    kept = [validated(SCHEMA, document, RULES, maxsize=2) for document in documents]
    # the first went beyond the bound: validated anew (a new list), the last is still kept
    assert validated(SCHEMA, documents[0], RULES, maxsize=2) is not kept[0]
    assert validated(SCHEMA, documents[2], RULES, maxsize=2) is kept[2]
