"""Per-request context: the caller, fresh DataLoaders, and units of work."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import structlog

from domain.roles import Role
from domain.security import Principal, TokenRejectedError
from persistence.sql.audit import Actor
from persistence.sql.unit_of_work import UnitOfWork
from persistence.sync.tracking import mirrored_rows
from resolvers import policy
from resolvers.loaders.registry import Loaders

if TYPE_CHECKING:
    import uuid
    from datetime import datetime

    from starlette.requests import HTTPConnection

    from resolvers.resources import ApiResources

__all__ = ["Context", "bearer_token"]

REVOKED = "the token was revoked (signed out, password, role or account changed): sign in again"


def bearer_token(credentials: str) -> str | None:
    """The token of `Bearer <token>`; None without credentials. Credentials of another form
    are refused (TokenRejectedError), never taken as anonymous."""
    credentials = credentials.strip()
    if not credentials:
        return None
    scheme, _, token = credentials.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRejectedError(
            "UNAUTHENTICATED", "the Authorization header must be `Bearer <token>`"
        )
    return token.strip()


class Context:
    """What every resolver may use during one request (or one WebSocket connection)."""

    def __init__(self, resources: ApiResources, request: HTTPConnection, response: Any) -> None:
        self.resources = resources
        self.request = request
        self.response = response
        self.settings = resources.settings
        # what `Authorization` carried (a WebSocket's connection_init may replace it)
        self.credentials = str(request.headers.get("authorization", ""))
        self.principal: Principal | None = None  # set by confirm_principal
        self.session_id: uuid.UUID | None = None  # the sign-in the caller's token belongs to
        self.degraded_fields: list[str] = []  # answered from SQL: Neo4j was unavailable
        # inputs the edge refused, by the response key of the mutation whose payload answers them
        self.input_problems: dict[str, list[Any]] = {}
        self.operation: str | None = None  # the mutation field running (schema/extensions/audit.py)
        self.connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init
        self.live_slot: str | None = None  # the WebSocket's slot among its user's connections
        self.live_until: datetime | None = None  # when the WebSocket's token expires
        # the answer is encoded by orjson, which embeds JSON text (schema/sql_answers.py)
        self.sends_json_text = False

    async def confirm_principal(self) -> None:
        """The caller: anonymous without credentials; with a token, its user while that user is
        active and the token's generation is still theirs (TokenRejectedError otherwise)."""
        token = bearer_token(self.credentials)
        if token is None:
            self.principal = None
            return
        claims = self.resources.tokens.read(token)
        user_id = claims.principal.user_id
        subject = await self.resources.principals.subject(
            user_id=user_id, session_id=claims.session_id
        )
        if (
            subject is None
            or subject.token_generation != claims.generation
            or not subject.session_live
        ):
            raise TokenRejectedError("UNAUTHENTICATED", REVOKED)
        self.principal = Principal(user_id, Role(subject.role))
        self.session_id = claims.session_id

    def note_degraded(self, field: str) -> None:
        """SQL answered `field` (a response path) because Neo4j was unavailable: once each."""
        if field not in self.degraded_fields:
            self.degraded_fields.append(field)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.resources)

    def reset_loaders(self) -> None:
        """Fresh DataLoaders: a WebSocket context outlives many reads that must not be cached."""
        self.__dict__.pop("loaders", None)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(
            self.resources.sessions, self.resources.publish, self.actor(), tracking=mirrored_rows()
        )

    def actor(self) -> Actor:
        """Who writes: the caller, this request and the mutation running (for the audit log)."""
        principal = self.principal
        return Actor(
            user_id=principal.user_id if principal else None,
            role=principal.role if principal else None,
            request_id=structlog.contextvars.get_contextvars().get("request_id"),
            operation=self.operation,
        )

    @property
    def viewer_id(self) -> uuid.UUID | None:
        """The signed-in user's id (whose own rows `my...` fields read); None when anonymous."""
        return self.principal.user_id if self.principal else None

    def require_user(self) -> Principal:
        return policy.signed_in(self.principal)

    def require_author(self) -> Principal:
        return policy.author(self.principal)

    def require_admin(self) -> Principal:
        return policy.admin(self.principal)
