"""A mutation whose inputs failed the edge's checks answers them in its payload, unrun."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from domain.errors import ErrorCode, UserError
from schema.errors import user_errors
from schema.extensions.input_checks import InputProblem

__all__ = ["PayloadInputProblems", "answer_input_problems_in_payloads"]


class PayloadInputProblems(FieldExtension):
    """Returns `Payload(errors=[VALIDATION ...])` for the problems InputChecks found in this
    mutation's arguments, instead of running it: nothing is read, nothing is written."""

    payload: Any = None

    def apply(self, field: StrawberryField) -> None:
        self.payload = field.type  # the payload class every answer of this mutation is

    def _answer(self, info: strawberry.Info) -> Any | None:
        found: dict[str, list[InputProblem]] = getattr(info.context, "input_problems", {})
        problems = found.get(str(info.path.key))
        if not problems:
            return None
        errors = [UserError(p.field, p.message, ErrorCode.VALIDATION) for p in problems]
        try:
            return self.payload(errors=user_errors(errors))
        except TypeError:  # a payload that cannot be built from errors alone
            first = problems[0]
            raise first.as_graphql_error() from None

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        answer = self._answer(info)
        return answer if answer is not None else next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: strawberry.Info,
        **kwargs: Any,
    ) -> Any:
        answer = self._answer(info)
        return answer if answer is not None else await next_(source, info, **kwargs)


def answer_input_problems_in_payloads(mutation: type) -> None:
    """Give every field of the mutation root the extension, once."""
    for field in mutation.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if not any(isinstance(extension, PayloadInputProblems) for extension in field.extensions):
            field.extensions.append(PayloadInputProblems())
