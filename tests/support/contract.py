"""The frontend's operations, verbatim from the project's copies of the contract.

operations.graphql holds what the frontend sends today, operations-next.graphql what it sends
next; operation names are unique across both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import OperationDefinitionNode, parse, print_ast

__all__ = ["CONTRACT", "CONTRACTS", "NEXT_CONTRACT", "contract_operations", "operation"]

CONTRACT = Path(__file__).parents[1] / "contract" / "operations.graphql"
NEXT_CONTRACT = Path(__file__).parents[1] / "contract" / "operations-next.graphql"
CONTRACTS = (CONTRACT, NEXT_CONTRACT)


@cache
def contract_operations(path: Path = CONTRACT) -> dict[str, OperationDefinitionNode]:
    """Every named operation of one contract file, by name."""
    document = parse(path.read_text(encoding="utf-8"))
    found = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return {operation.name.value: operation for operation in found if operation.name}


@cache
def _all_operations() -> dict[str, OperationDefinitionNode]:
    merged: dict[str, OperationDefinitionNode] = {}
    for path in CONTRACTS:
        merged.update(contract_operations(path))
    return merged


def operation(name: str) -> str:
    """The document of one contract operation, as the frontend sends it."""
    return print_ast(_all_operations()[name])
