"""The executor: graphql-core's, passing JSON text that PostgreSQL wrote as the answer through.

A field answered by an `orjson.Fragment` (schema/sql_answers.py) already holds its completed
value, written exactly as completion and the encoder would write it; completing it again
would mean parsing it. Every other value is completed as ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orjson import Fragment
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

if TYPE_CHECKING:
    from graphql import GraphQLOutputType, GraphQLResolveInfo
    from graphql.execution.collect_fields import FieldDetailsList
    from graphql.pyutils import AwaitableOrValue, Path

__all__ = ["JsonTextExecutor"]


class JsonTextExecutor(StrawberryGraphQLCoreExecutionContext):
    def complete_value(  # noqa: PLR0917 (graphql-core's signature, overridden)
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        if type(result) is Fragment:
            return result
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )
