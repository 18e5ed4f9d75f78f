"""Every mutation answers its expected failures in its payload's `errors`, with nothing written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.extensions import FieldExtension

from domain.errors import ErrorCode, UserError, UserErrors
from schema.errors import user_errors
from schema.payloads import Payload

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import strawberry
    from strawberry.types.base import StrawberryObjectDefinition
    from strawberry.types.field import StrawberryField

    from schema.extensions.input_checks import InputProblem

__all__ = ["AnswerInPayload", "answer_in_payloads"]


class AnswerInPayload(FieldExtension):
    """Answers `Payload(errors=[...])` instead of the mutation's own result when

    - InputChecks found problems in its arguments (VALIDATION): the mutation does not run;
    - it raised UserErrors: its unit of work rolled back, so nothing was written.

    Anything else propagates (and is masked as an internal error).
    """

    payload: type[Payload]

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        if not (isinstance(payload, type) and issubclass(payload, Payload)):
            raise TypeError(f"mutation {field.python_name} must answer a Payload, not {payload}")
        self.payload = payload

    def _input_problems(self, info: strawberry.Info) -> Payload | None:
        found: dict[str, list[InputProblem]] = getattr(info.context, "input_problems", {})
        problems = found.get(str(info.path.key))
        if not problems:
            return None
        errors = [UserError(p.field, p.message, ErrorCode.VALIDATION) for p in problems]
        return self.payload(errors=user_errors(errors))

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        answer = self._input_problems(info)
        if answer is not None:
            return answer
        try:
            return next_(source, info, **kwargs)
        except UserErrors as failure:
            return self.payload(errors=user_errors(failure.errors))

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: strawberry.Info,
        **kwargs: Any,
    ) -> Any:
        answer = self._input_problems(info)
        if answer is not None:
            return answer
        try:
            return await next_(source, info, **kwargs)
        except UserErrors as failure:
            return self.payload(errors=user_errors(failure.errors))


def answer_in_payloads(mutation: type) -> type:
    """Gives every field of the mutation root AnswerInPayload, once."""
    definition: StrawberryObjectDefinition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if not any(isinstance(extension, AnswerInPayload) for extension in field.extensions):
            field.extensions.append(AnswerInPayload())
    return mutation
