"""Accounts: registration, sign-in, who may see whom, and a user's own profile and preferences."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError

from domain.errors import ErrorCode, UserError, UserErrors
from domain.ids import uuid_or_none
from domain.roles import SELF_ASSIGNABLE
from domain.security import Principal, hash_password, verify_password
from domain.validation import Checks, is_email
from persistence.sql.audit import AuditNote
from persistence.sql.models import LearningPreferences, Profile, User
from persistence.sql.repositories import users
from resolvers import policy
from resolvers.commands import input_name
from resolvers.email_verification import queue_verification_mail
from resolvers.loaders.users import accounts_by_user_id, users_by_id
from resolvers.mails import send_queued_mail
from resolvers.sign_ins import SignedIn, sign_in
from resolvers.throttling import Guard

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.ext.asyncio import AsyncSession

    from persistence.sql.unit_of_work import UnitOfWork
    from resolvers.commands import Command, PreferenceChanges, ProfileChanges, Registration
    from resolvers.context import Context

__all__ = [
    "CONTENT_TYPES",
    "SignedIn",
    "login",
    "may_see_private",
    "preferences_of",
    "profile_of",
    "register",
    "signed_in_user",
    "update_preferences",
    "update_profile",
    "visible_user",
]

USERNAME = re.compile(r"^[A-Za-z0-9_.-]+$")
LANGUAGE = re.compile(r"^[A-Za-z]{2}[A-Za-z0-9_-]{0,14}$")
CONTENT_TYPES = ("text", "video", "quiz", "interactive", "reading")
Own = TypeVar("Own", Profile, LearningPreferences)
WRONG_CREDENTIALS = UserError("password", "wrong username or password", ErrorCode.UNAUTHENTICATED)


@cache
def _decoy_hash() -> str:
    """Verified against for unknown users, so a miss costs as long as a wrong password."""
    return hash_password("decoy-password-never-matches")


async def _signed_in_user(context: Context, username: str, password: str) -> SignedIn | None:
    """A new sign-in of the active user these credentials name; None if they name none.

    Success and failure both leave an audit entry (a failure commits only that)."""
    async with context.unit_of_work() as uow:
        user = await users.user_named(uow.session, username=username)
        stored = user.password_hash if user is not None else _decoy_hash()
        matches = await asyncio.to_thread(verify_password, stored, password)
        if user is None or not user.is_active or not matches:
            uow.audit(_login_note("login_failed", user, username))
            await uow.commit()
            return None
        await users.stamp_sign_in(uow.session, user_id=user.id)
        signed_in = await sign_in(uow, context, user)
        uow.audit(_login_note("login", user, username))
        await uow.commit()
    return signed_in


async def login(context: Context, username: str, password: str) -> SignedIn:
    guard = Guard(context, "login", username)
    await guard.check(field="username")
    signed_in = await _signed_in_user(context, username, password)
    if signed_in is None:
        await guard.failed()
        raise UserErrors(WRONG_CREDENTIALS)
    await guard.succeeded()
    return signed_in


def _login_note(action: str, user: User | None, username: str) -> AuditNote:
    return AuditNote(
        action=action,
        target_type="user",
        target_id=str(user.id) if user else None,
        details={"username": username[:50]},
        actor_id=user.id if user else None,
    )


def _check_registration(registration: Registration) -> None:
    checks = Checks()
    username, email = registration.username, registration.email
    checks.text("username", username, max_length=50, required=True)
    if username and (len(username) < 3 or not USERNAME.match(username)):
        checks.fail("username", "username takes 3-50 letters, digits, '_', '.' or '-'")
    checks.text("email", email, max_length=254, required=True)
    if email and not is_email(email):
        checks.fail("email", "email must look like name@example.org")
    checks.password("password", registration.password)
    if registration.role not in SELF_ASSIGNABLE:
        checks.fail("role", "only STUDENT or TEACHER can be chosen", ErrorCode.FORBIDDEN)
    checks.text("firstName", registration.first_name, max_length=100)
    checks.text("lastName", registration.last_name, max_length=100)
    checks.raise_if_any()


async def _refuse_taken(session: AsyncSession, username: str, email: str) -> None:
    checks = Checks()
    for taken_username, taken_email in await users.taken_names(
        session, username=username, email=email
    ):
        if taken_username.lower() == username.lower():
            checks.fail("username", f"username {username} is taken", ErrorCode.DUPLICATE)
        if taken_email.lower() == email.lower():
            checks.fail("email", "an account with this email exists", ErrorCode.DUPLICATE)
    checks.raise_if_any()


def _duplicate_from(error: IntegrityError) -> UserErrors:
    """The DUPLICATE a concurrent registration caused, naming the unique index it hit."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    field = "email" if constraint == "uq_users_email_lower" else "username"
    return UserErrors.one(field, f"this {field} is taken", ErrorCode.DUPLICATE)


async def register(context: Context, registration: Registration) -> SignedIn:
    guard = Guard(context, "register")
    await guard.check()
    await guard.attempted()  # every registration counts against the address, made or not
    _check_registration(registration)
    password_hash = await asyncio.to_thread(hash_password, registration.password)
    async with context.unit_of_work() as uow:
        await _refuse_taken(uow.session, registration.username, registration.email)
        user = User(
            id=uuid.uuid4(),
            username=registration.username,
            email=registration.email,
            password_hash=password_hash,
            role=registration.role,
        )
        uow.session.add(user)
        try:
            await uow.session.flush()
        except IntegrityError as error:  # a concurrent registration took the name first
            raise _duplicate_from(error) from None
        profile = Profile(
            user_id=user.id, first_name=registration.first_name, last_name=registration.last_name
        )
        uow.session.add_all([profile, LearningPreferences(user_id=user.id)])
        mail_id = await queue_verification_mail(uow, context, user)
        signed_in = await sign_in(uow, context, user)
        uow.audit(
            AuditNote("registered", "user", str(user.id), {"username": user.username}, user.id)
        )
        await uow.commit()
    send_queued_mail(context, [mail_id])
    return signed_in


async def signed_in_user(context: Context) -> User | None:
    """The caller's account, or None when nobody (or no active account) is signed in."""
    if context.principal is None:
        return None
    user = await context.loaders.of(users_by_id).load(context.principal.user_id)
    return user if user is not None and user.is_active else None


def may_see_private(context: Context, user_id: uuid.UUID) -> bool:
    """Whether the caller may see the user's email and preferences (policy.may_see_private)."""
    return policy.may_see_private(context.principal, user_id)


async def visible_user(context: Context, raw_id: str) -> User | None:
    """A user the caller may look up (policy.may_look_up), else None as for an unknown id."""
    user_id = uuid_or_none(raw_id)
    if user_id is None:
        return None
    async with context.resources.sessions() as session:
        allowed = await policy.may_look_up(session, context.principal, user_id)
    return await context.loaders.of(users_by_id).load(user_id) if allowed else None


async def profile_of(context: Context, user_id: uuid.UUID) -> Profile | None:
    account = await context.loaders.of(accounts_by_user_id).load(user_id)
    return account.profile if account else None


async def preferences_of(context: Context, user_id: uuid.UUID) -> LearningPreferences | None:
    account = await context.loaders.of(accounts_by_user_id).load(user_id)
    return account.preferences if account else None


def _refuse_nulls(checks: Checks, changes: Command, names: Iterable[str]) -> None:
    for name in changes.given_null(names):
        checks.fail(input_name(name), f"{input_name(name)} must not be null")


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_profile(changes: ProfileChanges) -> None:
    checks = Checks()
    _refuse_nulls(checks, changes, ("timezone", "language"))
    checks.text("firstName", changes.first_name, max_length=100)
    checks.text("lastName", changes.last_name, max_length=100)
    checks.text("bio", changes.bio, max_length=2000)
    avatar, zone, language = changes.avatar_url, changes.timezone, changes.language
    checks.url("avatarUrl", avatar, max_length=500)
    if zone is not None and (len(zone) > 64 or not _is_zone(zone)):
        checks.fail("timezone", "timezone must be an IANA zone such as Europe/Paris")
    if language is not None and not LANGUAGE.match(language):
        checks.fail("language", "language must be a 2-16 character code such as en or pt-BR")
    checks.raise_if_any()


def _check_preferences(changes: PreferenceChanges) -> None:
    checks = Checks()
    _refuse_nulls(checks, changes, type(changes).model_fields)  # every preference has a value
    checks.number("dailyGoalMinutes", changes.daily_goal_minutes, low=1, high=1440)
    unknown = set(changes.content_types or ()) - set(CONTENT_TYPES)
    if unknown:
        checks.fail("contentTypes", f"contentTypes takes only {', '.join(CONTENT_TYPES)}")
    checks.raise_if_any()


async def _own_row(uow: UnitOfWork, model: type[Own], principal: Principal) -> Own:
    """The caller's profile or preferences row, made (with its defaults) if missing."""
    user = await uow.session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise UserErrors.one(None, "sign in first", ErrorCode.UNAUTHENTICATED)
    found = await uow.session.get(model, principal.user_id)
    if found is None:
        found = model(user_id=principal.user_id)
        uow.session.add(found)
    return found


async def _write_own(context: Context, model: type[Own], changes: Command) -> Own:
    principal = context.require_user()
    async with context.unit_of_work() as uow:
        row = await _own_row(uow, model, principal)
        changes.apply_to(row)
        row.updated_at = datetime.now(UTC)
        await uow.commit()
    return row


async def update_profile(context: Context, changes: ProfileChanges) -> Profile:
    """Changes the caller's own profile; SQL-only data, so no outbox event."""
    context.require_user()
    _check_profile(changes)
    return await _write_own(context, Profile, changes)


async def update_preferences(context: Context, changes: PreferenceChanges) -> LearningPreferences:
    """Changes the caller's own learning preferences; SQL-only data, so no outbox event."""
    context.require_user()
    _check_preferences(changes)
    return await _write_own(context, LearningPreferences, changes)
