"""A cost limit: how many objects an operation could ask for, estimated before it runs.

Each field costs one per object it is selected on. What is selected under a field is multiplied
by the number of objects it can return: its `first` argument (the literal, or the server's
largest page when it comes from a variable or is left out), or, for a list without `first`,
a typical list length (but a page's own list of edges is the page, counted once). Fragments are followed. An operation over the limit is refused during
validation, before any resolver runs.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)

__all__ = ["LIST_LENGTH", "CostModel", "cost_limit_rule"]

# What a list without `first` is assumed to hold (prerequisites, quizzes, path items...).
LIST_LENGTH = 10


def _is_list(output: GraphQLOutputType) -> bool:
    inner = output.of_type if isinstance(output, GraphQLNonNull) else output
    return isinstance(inner, GraphQLList)


class CostModel:
    """Estimates an operation's cost against one schema."""

    def __init__(self, schema: GraphQLSchema, *, largest_page: int) -> None:
        self.schema = schema
        self.largest_page = largest_page

    def operation_cost(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> int:
        roots = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }
        root = roots[operation.operation]
        return self._cost(operation.selection_set, root, fragments, frozenset())

    def _page(self, field: FieldNode) -> int | None:
        for argument in field.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    return max(0, min(int(argument.value.value), self.largest_page))
                return self.largest_page
        return None

    def _cost(
        self,
        selections: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        fragments: dict[str, FragmentDefinitionNode],
        seen: frozenset[str],
        in_page: bool = False,
    ) -> int:
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, fragments, seen, in_page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self._cost(selection.selection_set, inner, fragments, seen, in_page)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:  # cycles are another rule's error
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    total += self._cost(
                        fragment.selection_set, inner, fragments, seen | {name}, in_page
                    )
        return total

    def _field_cost(
        self,
        field: FieldNode,
        parent: GraphQLNamedType | None,
        fragments: dict[str, FragmentDefinitionNode],
        seen: frozenset[str],
        in_page: bool,
    ) -> int:
        definition = (
            parent.fields.get(field.name.value) if isinstance(parent, GraphQLObjectType) else None
        )
        if definition is None:  # unknown fields and __typename: other rules report them
            return 1
        page = self._page(field)
        named = get_named_type(definition.type)
        inner = self._cost(field.selection_set, named, fragments, seen, in_page=page is not None)
        if page is not None:
            fanout = page
        elif _is_list(definition.type) and not in_page:
            fanout = LIST_LENGTH
        else:
            fanout = 1
        return 1 + fanout * inner


def cost_limit_rule(*, limit: int, largest_page: int) -> type[ValidationRule]:
    """A validation rule refusing operations whose estimated cost is over `limit`."""

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._model = CostModel(context.schema, largest_page=largest_page)
            self._fragments = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self._model.operation_cost(node, self._fragments)
            if cost > limit:
                message = f"the query could return {cost} objects; the limit is {limit}"
                self.report_error(
                    GraphQLError(message, node, extensions={"code": "QUERY_TOO_COSTLY"})
                )

    return CostLimit
