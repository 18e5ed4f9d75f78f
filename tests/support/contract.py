"""The frontend's operations, verbatim from the project's copy of the contract."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import OperationDefinitionNode, parse, print_ast

__all__ = ["CONTRACT", "contract_operations", "operation"]

CONTRACT = Path(__file__).parents[1] / "contract" / "operations.graphql"


@cache
def contract_operations() -> dict[str, OperationDefinitionNode]:
    """Every named operation of the contract, by name."""
    document = parse(CONTRACT.read_text(encoding="utf-8"))
    found = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return {operation.name.value: operation for operation in found if operation.name}


def operation(name: str) -> str:
    """The document of one contract operation, as the frontend sends it."""
    return print_ast(contract_operations()[name])
