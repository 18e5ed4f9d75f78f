"""Unexpected failures reach clients as a plain message, never as internals."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

__all__ = ["MaskUnexpectedErrors"]

logger = logging.getLogger("learngraph.errors")


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False  # validation and deliberate field errors keep their message
    logger.error("unexpected error in %s", error.path, exc_info=original)
    return True


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected, error_message="Internal server error")

    def _process_result(self, result: object) -> None:
        """MaskErrors._process_result without its isinstance check against a runtime Protocol
        (which looks the protocol's members up anew on every call): a result with errors has
        them masked, as there (pinned in tests/unit/test_extension_hooks.py)."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]
