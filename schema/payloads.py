"""What every mutation answers: a payload with its expected failures, if any.

A mutation's payload type derives from `Payload` (or from `SyncedPayload` when the change
reaches the knowledge graph) and adds only what the mutation returns on success. The resolver
builds the success payload and raises `UserErrors` for expected failures: `AnswerInPayload`
(schema/extensions/payload_problems.py), on every mutation, turns them into `errors`.
"""

from __future__ import annotations

import strawberry

from schema.errors import UserError

__all__ = ["Payload", "SyncedPayload"]


@strawberry.interface(
    description="What every mutation answers. Expected failures come back in errors, with "
    "nothing written; the other fields are then null."
)
class Payload:
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures (bad input, not found, forbidden...); empty on success. "
        "When not empty, nothing was written and the other fields are null.",
    )


@strawberry.interface(
    description="The answer of a mutation whose change the knowledge graph mirrors."
)
class SyncedPayload(Payload):
    sync_token: str | None = strawberry.field(
        default=None,
        description="Send it back as the X-Sync-Token header: that query waits (bounded) until "
        "the knowledge graph holds this change. Null on failure or when nothing changed.",
    )
