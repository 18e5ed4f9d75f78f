"""The cost estimate: objects an operation could return, pages and lists multiplying."""

from __future__ import annotations

from functools import cache

from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from config.settings import Settings
from schema.extensions.cost import LIST_LENGTH, CostModel
from schema.schema import build_schema
from tests.support.contract import contract_operations

LIMIT: int = Settings.model_fields["max_query_cost"].default
LARGEST_PAGE: int = Settings.model_fields["max_page_size"].default


@cache
def model(largest_page: int = LARGEST_PAGE) -> CostModel:
    return CostModel(build_schema()._schema, largest_page=largest_page)


def cost_of(document: str, largest_page: int = LARGEST_PAGE) -> int:
    parsed = parse(document)
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return model(largest_page).operation_cost(operation, fragments)


def test_a_page_multiplies_what_each_of_its_items_selects() -> None:
    # one field for the page, and per item its edge, node and two scalars
    assert cost_of("{ concepts(first: 10) { edges { node { id name } } } }") == 1 + 10 * (1 + 3)


def test_a_page_size_from_a_variable_counts_as_the_largest_page() -> None:
    document = "query($n: Int) { concepts(first: $n) { totalCount } }"
    assert cost_of(document, largest_page=50) == 1 + 50 * 1


def test_a_list_without_first_counts_as_a_typical_list_and_fragments_are_followed() -> None:
    document = """
    query { concept(name: "x") { ...page } }
    fragment page on Concept { name prerequisites(depth: 2) { id name } }
    """
    assert cost_of(document) == 1 + (1 + (1 + LIST_LENGTH * 2))


def test_every_contract_operation_stays_under_the_default_limit() -> None:
    costs = {
        name: model().operation_cost(operation, {})
        for name, operation in contract_operations().items()
    }
    assert max(costs.values()) < LIMIT, costs


def test_pages_of_lists_of_lists_go_over_the_limit() -> None:
    document = """
    { concepts(first: 100) { edges { node { prerequisites { dependents { related { id } } } } } } }
    """
    assert cost_of(document) > LIMIT
