"""Scalar definitions that say where their format is specified (`@specifiedBy`).

Generated clients map a scalar to a type by its specification; strawberry's DateTime has none.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from strawberry.schema.types.base_scalars import DateTimeDefinition

if TYPE_CHECKING:
    from strawberry.types.scalar import ScalarDefinition

__all__ = ["DATE_TIME_SPEC", "SCALAR_OVERRIDES"]

DATE_TIME_SPEC = "https://scalars.graphql.org/andimarek/date-time"


def _rfc3339(value: datetime) -> str:
    """ISO 8601 / RFC 3339 with an offset; a naive value (never expected) is taken as UTC."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.isoformat()


DATE_TIME = dataclasses.replace(
    DateTimeDefinition,
    description="A date and time with an offset (RFC 3339), e.g. 2026-01-31T09:30:00+00:00.",
    specified_by_url=DATE_TIME_SPEC,
    serialize=_rfc3339,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: DATE_TIME}
