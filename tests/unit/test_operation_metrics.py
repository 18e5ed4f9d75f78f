"""Metric labels stay few: operation names are bounded, error codes known."""

from __future__ import annotations

from graphql import GraphQLError

from domain.errors import ErrorCode
from schema.operation_metrics import OperationNames, error_code


def test_names_are_kept_up_to_the_limit_then_counted_as_other() -> None:
    names = OperationNames(limit=2)
    assert [names.label(n) for n in ("A", "B", "C", "A", None, "")] == [
        "A",
        "B",
        "other",
        "A",
        "anonymous",
        "anonymous",
    ]


def test_a_name_that_is_not_a_plain_graphql_name_is_other() -> None:
    assert OperationNames().label('x"} 1\nevil') == "other"
    assert OperationNames().label("a" * 65) == "other"


def test_error_codes_are_known_codes_request_or_internal() -> None:
    assert error_code(GraphQLError("refused")) == "REQUEST"
    field = GraphQLError("no", original_error=ValueError(), extensions={"code": "FORBIDDEN"})
    assert error_code(field) == ErrorCode.FORBIDDEN.value
    odd = GraphQLError("no", original_error=ValueError(), extensions={"code": "MADE_UP"})
    assert error_code(odd) == "INTERNAL"
    assert error_code(GraphQLError("boom", original_error=RuntimeError())) == "INTERNAL"
