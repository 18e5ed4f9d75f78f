"""The Subscription root: live updates over WebSockets (graphql-transport-ws)."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.areas.live import LiveSubscription

__all__ = ["Subscription"]

Subscription = merge_types("Subscription", (LiveSubscription,))
Subscription.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Live updates over WebSockets (graphql-transport-ws, path /graphql). Authenticate in "
    'connection_init with {"Authorization": "Bearer <token>"}; each subscription first sends '
    "the current state, then one message per change."
)
