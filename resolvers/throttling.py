"""Throttled attempts: sign-ins, registrations and anything that checks a secret.

Failures are counted three ways in sliding windows of THROTTLE_WINDOW_SECONDS: per subject and
client address (THROTTLE_MAX_FAILURES), per subject from anywhere
(THROTTLE_MAX_FAILURES_PER_SUBJECT) and per address whatever the subject
(THROTTLE_MAX_FAILURES_PER_ADDRESS). A guessing client is stopped by the first; a spread-out
attack on one account by the second; one client trying many accounts by the third. A refusal
is RATE_LIMITED with the seconds to wait (the message, `retryAfter` and the Retry-After header)
and never outlasts the window; a success clears the subject's failures.

Use it around any attempt that a guesser could repeat:

    guard = Guard(context, "login", username)
    await guard.check(field="username")      # RATE_LIMITED while a window is full
    if wrong:
        await guard.failed()
    else:
        await guard.succeeded()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import ErrorCode, UserError, UserErrors
from persistence.throttle import Throttle, Window

if TYPE_CHECKING:
    from resolvers.context import Context

__all__ = ["Guard", "client_address"]


def client_address(context: Context) -> str:
    """The client's address (behind a proxy, what uvicorn's --proxy-headers makes of it)."""
    client = context.request.client
    return client.host if client is not None else "unknown"


class Guard:
    """The throttle of one kind of attempt (`action`) on one subject (an account, an email)."""

    def __init__(self, context: Context, action: str, subject: str | None = None) -> None:
        settings = context.settings
        seconds = settings.throttle_window_seconds
        address = client_address(context)
        self._context = context
        self._throttle: Throttle = context.resources.throttle
        self._windows: list[tuple[Window, tuple[str, ...]]] = [
            (
                Window(f"{action}-address", settings.throttle_max_failures_per_address, seconds),
                (address,),
            )
        ]
        self._subject_windows: list[tuple[Window, tuple[str, ...]]] = []
        if subject is not None:
            subject = subject.lower()
            self._subject_windows = [
                (
                    Window(f"{action}-pair", settings.throttle_max_failures, seconds),
                    (subject, address),
                ),
                (
                    Window(
                        f"{action}-subject", settings.throttle_max_failures_per_subject, seconds
                    ),
                    (subject,),
                ),
            ]

    async def check(self, *, field: str | None = None) -> None:
        """RATE_LIMITED (UserErrors) while any of the attempt's windows is full."""
        waits = [
            await self._throttle.wait_seconds(window, *keys)
            for window, keys in (*self._subject_windows, *self._windows)
        ]
        wait = max(waits)
        if wait > 0:
            self._context.response.headers["Retry-After"] = str(wait)
            message = f"too many attempts: try again in {wait} seconds"
            error = UserError(field, message, ErrorCode.RATE_LIMITED, retry_after=wait)
            raise UserErrors(error)

    async def failed(self) -> None:
        """One more failure in each window (for registrations: one more attempt)."""
        for window, keys in (*self._subject_windows, *self._windows):
            await self._throttle.count(window, *keys)

    async def attempted(self) -> None:
        """One more attempt, for actions limited by their number rather than their failures."""
        await self.failed()

    async def succeeded(self) -> None:
        """The subject's failures are forgotten; the address's stay counted."""
        for window, keys in self._subject_windows:
            await self._throttle.forget(window, *keys)
