"""The frontend's operations (both contract files) validate, one by one, against our schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import DocumentNode, GraphQLSchema, validate

from schema.schema import build_schema
from tests.support.contract import CONTRACT, CONTRACTS, NEXT_CONTRACT, contract_operations

SHARED = Path(__file__).parents[2].parent / "shared" / "contract"


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


@pytest.mark.parametrize("copy", CONTRACTS, ids=lambda path: path.name)
def test_the_project_copy_of_the_contract_equals_the_shared_contract(copy: Path) -> None:
    # given the shared contract next to the project
    shared = SHARED / copy.name
    if not shared.exists():
        pytest.skip(f"no shared contract at {shared} to compare the project copy with")
    # then the project's copy is byte for byte the same
    assert copy.read_bytes() == shared.read_bytes()


def test_the_contract_holds_forty_one_named_contract_operations() -> None:
    assert len(contract_operations(CONTRACT)) == 41


def test_the_next_contract_holds_twenty_two_operations_named_apart_from_the_first() -> None:
    next_names = set(contract_operations(NEXT_CONTRACT))
    assert len(next_names) == 22
    assert not next_names & set(contract_operations(CONTRACT))


# Operations of a contract not built yet: each is expected NOT to validate, strictly, so the
# list must shrink as soon as one starts to.
NOT_YET_BUILT: dict[str, str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for path in CONTRACTS:
        for name in sorted(contract_operations(path)):
            marks = []
            if name in NOT_YET_BUILT:
                reason = f"not built yet: {NOT_YET_BUILT[name]}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(path, name, marks=marks, id=f"{path.stem}:{name}"))
    return cases


@pytest.mark.parametrize(("path", "name"), _cases())
def test_the_contract_operation_validates_against_the_schema(path: Path, name: str) -> None:
    # given one operation of a contract, alone in its document
    document = DocumentNode(definitions=(contract_operations(path)[name],))
    # when it is validated against the schema
    errors = validate(graphql_schema(), document)
    # then the schema accepts it as written
    assert [error.message for error in errors] == []
