"""Administration for admins: users, their activation and role, and the audit log."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from resolvers.administration import list_users, set_user_active, set_user_role
from resolvers.audit_log import audit_page
from resolvers.commands import AuditFilters, UserFilters
from resolvers.loaders.users import users_by_id
from schema.errors import raising_errors
from schema.info import Info
from schema.inputs import command, optional
from schema.limits import page_size
from schema.payloads import SyncedPayload
from schema.types.enums import Role
from schema.types.pagination import (
    After,
    Connection,
    Edge,
    First,
    PageInfo,
    build_connection,
    decode_cursor,
)
from schema.types.user import UserType

if TYPE_CHECKING:
    from persistence.sql.models import AuditEntry

__all__ = ["AdminMutation", "AdminQuery", "AuditFilter", "UserFilter"]

AUDIT_CURSOR = "a:"


@strawberry.input(description="Narrows the user list; every field given must match.")
class UserFilter:
    role: Role | None = optional("Only this role.")
    active: bool | None = optional("Only active (true) or deactivated (false) users.")
    search: str | None = optional("Part of the username or email, any case.")
    email_verified: bool | None = optional("Only users whose email is (not) verified.")


@strawberry.input(description="Narrows the audit log; every field given must match.")
class AuditFilter:
    actor_id: strawberry.ID | None = optional("Only entries by this user.")
    action: str | None = optional("Only this action, e.g. login_failed or createConcept.")
    target_type: str | None = optional("Only entries about this kind of thing, e.g. user.")
    target_id: str | None = optional("Only entries about this thing.")
    since: datetime | None = optional("Only entries at or after this time.")
    until: datetime | None = optional("Only entries at or before this time.")


@strawberry.type(name="AuditEntry", description="One thing someone did, recorded as it happened.")
class AuditEntryType:
    id: strawberry.ID = strawberry.field(description="The entry's id; entries only grow.")
    at: datetime = strawberry.field(description="When it happened.")
    action: str = strawberry.field(description="What happened: a mutation or an account event.")
    target_type: str | None = strawberry.field(description="What kind of thing it concerned.")
    target_id: str | None = strawberry.field(description="Which thing it concerned.")
    request_id: str | None = strawberry.field(description="The request that did it.")
    details: JSON = strawberry.field(description="A few facts about it.")
    actor_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: AuditEntry) -> AuditEntryType:
        return cls(
            id=strawberry.ID(str(row.id)),
            at=row.at,
            action=row.action,
            target_type=row.target_type,
            target_id=row.target_id,
            request_id=row.request_id,
            details=cast("JSON", row.details),
            actor_id=row.actor_id,
        )

    @strawberry.field(description="Who did it; null for anonymous callers or removed accounts.")
    async def actor(self, info: Info) -> UserType | None:
        if self.actor_id is None:
            return None
        row = await info.context.loaders.of(users_by_id).load(self.actor_id)
        return UserType.from_row(row) if row else None


def _audit_cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{AUDIT_CURSOR}{entry_id}".encode()).decode()


def _before_id(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
        if text.startswith(AUDIT_CURSOR):
            return int(text.removeprefix(AUDIT_CURSOR))
    except ValueError:
        pass
    raise GraphQLError(
        "after is not a valid cursor", extensions={"code": "VALIDATION", "field": "after"}
    )


@strawberry.type(description="The result of changing a user's activation or role.")
class UserAdminPayload(SyncedPayload):
    user: UserType | None = strawberry.field(
        default=None, description="The user as changed; null on failure."
    )


UserId = Annotated[strawberry.ID, strawberry.argument(description="The user's id.")]


@strawberry.type
class AdminQuery:
    @strawberry.field(description="Users by username, filtered and paginated. Admins only.")
    async def users(
        self,
        info: Info,
        filter: Annotated[
            UserFilter | None, strawberry.argument(description="Which users; all without it.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[UserType]:
        start, limit = decode_cursor(after), page_size(info, first)
        filters = command(filter, UserFilters) if filter else UserFilters()
        page = await raising_errors(
            lambda: list_users(info.context, filters, offset=start, limit=limit)
        )
        return build_connection(page.rows, start=start, total=page.total, to_node=UserType.from_row)

    @strawberry.field(description="The audit log, newest first, filtered. Admins only.")
    async def audit_log(
        self,
        info: Info,
        filter: Annotated[
            AuditFilter | None, strawberry.argument(description="Which entries; all without it.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[AuditEntryType]:
        before, limit = _before_id(after), page_size(info, first)
        filters = command(filter, AuditFilters) if filter else AuditFilters()
        page = await raising_errors(
            lambda: audit_page(info.context, filters, before_id=before, limit=limit)
        )
        edges = [
            Edge(cursor=_audit_cursor(row.id), node=AuditEntryType.from_row(row))
            for row in page.rows
        ]
        return Connection(
            total_count=page.total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=before is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


@strawberry.type
class AdminMutation:
    @strawberry.mutation(
        description="Activate or deactivate a user; deactivation revokes their tokens at once."
    )
    async def set_user_active(
        self,
        info: Info,
        id: UserId,
        active: Annotated[bool, strawberry.argument(description="true to activate.")],
    ) -> UserAdminPayload:
        written = await set_user_active(info.context, str(id), active)
        return UserAdminPayload(user=UserType.from_row(written.user), sync_token=written.sync_token)

    @strawberry.mutation(description="Change a user's role; the graph's role label follows.")
    async def set_user_role(
        self,
        info: Info,
        id: UserId,
        role: Annotated[Role, strawberry.argument(description="The new role.")],
    ) -> UserAdminPayload:
        written = await set_user_role(info.context, str(id), role)
        return UserAdminPayload(user=UserType.from_row(written.user), sync_token=written.sync_token)
