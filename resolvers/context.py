"""Per-request context: the caller, fresh DataLoaders, and units of work."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

from domain.security import Principal, decode_token
from persistence.sql.unit_of_work import UnitOfWork
from resolvers import policy
from resolvers.loaders.registry import Loaders
from resolvers.resources import ApiResources

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["Context", "principal_from_header", "principal_from_request"]


def principal_from_header(header: str, settings: Settings) -> Principal | None:
    """The principal of `Bearer <token>`; None without one or for a token that is not valid."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return decode_token(token.strip(), secret=settings.token_secret.get_secret_value())


def principal_from_request(request: HTTPConnection, settings: Settings) -> Principal | None:
    return principal_from_header(request.headers.get("authorization", ""), settings)


class Context:
    """What every resolver may use during one request (or one WebSocket connection)."""

    def __init__(self, resources: ApiResources, request: HTTPConnection, response: Any) -> None:
        self.resources = resources
        self.request = request
        self.response = response
        self.settings = resources.settings
        self.principal = principal_from_request(request, resources.settings)
        self.degraded_fields: list[str] = []  # answered from SQL: Neo4j was unavailable
        self.connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init
        self.live_slot: str | None = None  # the WebSocket's slot among its user's connections
        self.live_until: datetime | None = None  # when the WebSocket's token expires

    async def confirm_principal(self) -> None:
        """Trust a token only while its user exists and is active, with the role it has now."""
        if self.principal is None:
            return
        user_id = self.principal.user_id
        subject = await self.resources.principals.subject(user_id=user_id)
        self.principal = None if subject is None else Principal(user_id, subject.role)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.resources)

    def reset_loaders(self) -> None:
        """Fresh DataLoaders: a WebSocket context outlives many reads that must not be cached."""
        self.__dict__.pop("loaders", None)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.resources.sessions, self.resources.publish)

    def require_user(self) -> Principal:
        return policy.signed_in(self.principal)

    def require_author(self) -> Principal:
        return policy.author(self.principal)

    def require_admin(self) -> Principal:
        return policy.admin(self.principal)
