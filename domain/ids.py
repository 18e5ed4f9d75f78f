"""Opaque ids: what clients send is a UUID's text, and one that is not names nothing."""

from __future__ import annotations

import uuid

from domain.errors import ErrorCode, UserErrors

__all__ = ["parse_id", "uuid_or_none"]


def uuid_or_none(value: str) -> uuid.UUID | None:
    """The UUID the text holds, or None when it cannot hold one."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def parse_id(value: str, *, field: str | None, what: str) -> uuid.UUID:
    """The UUID the id holds; an id that cannot be one names nothing, so it is NOT_FOUND
    (naming the field), as an id of nothing that exists would be."""
    found = uuid_or_none(value)
    if found is None:
        raise UserErrors.one(field, f"no {what} with id {value}", ErrorCode.NOT_FOUND)
    return found
