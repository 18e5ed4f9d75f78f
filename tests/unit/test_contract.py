"""The frontend's operations (the contract) validate, one by one, against our schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import DocumentNode, GraphQLSchema, validate

from schema.schema import build_schema
from tests.support.contract import CONTRACT, contract_operations

SHARED_CONTRACT = Path(__file__).parents[2].parent / "shared" / "contract" / "operations.graphql"


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def test_the_project_copy_of_the_contract_equals_the_shared_contract() -> None:
    # given the shared contract next to the project
    if not SHARED_CONTRACT.exists():
        pytest.skip(f"no shared contract at {SHARED_CONTRACT} to compare the project copy with")
    # then the project's copy is byte for byte the same
    assert CONTRACT.read_bytes() == SHARED_CONTRACT.read_bytes()


def test_the_contract_holds_forty_one_named_contract_operations() -> None:
    assert len(contract_operations()) == 41


# Operations that later work (graph reads, sync operations, reconciliation) will add: each is
# expected NOT to validate yet, strictly, so the list must shrink as soon as one starts to.
NOT_YET_BUILT: dict[str, str] = {}


def _case(name: str) -> object:
    if name in NOT_YET_BUILT:
        return pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=f"not built yet: {NOT_YET_BUILT[name]}"),
        )
    return name


@pytest.mark.parametrize("name", [_case(name) for name in sorted(contract_operations())])
def test_the_contract_operation_validates_against_the_schema(name: str) -> None:
    # given one operation of the contract, alone in its document
    document = DocumentNode(definitions=(contract_operations()[name],))
    # when it is validated against the schema
    errors = validate(graphql_schema(), document)
    # then the schema accepts it as written
    assert [error.message for error in errors] == []
