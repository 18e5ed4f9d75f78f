"""A learner's account journey over real HTTP, with a real worker sending the mails to the
dev mail log; an admin then reads every step in the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from ops.processes import stop
from tests.support.contract import operation
from tests.support.mail import link_token, logged_mail_to
from tests.support.processes import spawn_worker
from tests.support.waiting import eventually

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LEARNER = {"username": "lena", "email": "lena@example.org", "password": "lena-password-1"}
VERIFY_SUBJECT = "Confirm your email address"
RESET_SUBJECT = "Reset your password"
JOURNEY = [
    "registered",
    "email_verified",
    "login",
    "token_refreshed",
    "password_changed",
    "password_reset_requested",
    "password_reset",
    "login",
    "logout",
]


@pytest.fixture
def mail_log(tmp_path: Path) -> Iterator[Path]:
    """The mail log a real worker process writes to."""
    path = tmp_path / "mail.mbox"
    process = spawn_worker(tmp_path / "worker.log", env={"MAIL_LOG_PATH": str(path)})
    try:
        yield path
    finally:
        stop(process)


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token: str | None = None

    def send(self, name: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.post(
            f"{self.base}/graphql",
            json={"query": operation(name), "variables": variables or {}},
            headers=headers,
            timeout=30,
        )

    def payload(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.send(name, variables).json()
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        assert not payload.get("errors"), payload
        return dict(payload)


def mailed_token(mail_log: Path, subject: str, count: int) -> str:
    """The token of the count-th mail with this subject, once the worker has logged it."""

    def logged() -> list[str] | None:
        bodies = logged_mail_to(mail_log, LEARNER["email"], subject)
        return bodies if len(bodies) >= count else None

    return link_token(eventually(logged, timeout=60)[count - 1])


def test_a_learner_account_journey_ends_in_the_audit_log(server: str, mail_log: Path) -> None:
    client = Client(server)
    # given lena registered, and the worker mailed her a verification link
    registered = client.payload("Register", {"input": LEARNER})
    user_id = registered["user"]["id"]
    # when she verifies her address with the mailed token
    verified = client.payload("VerifyEmail", {"token": mailed_token(mail_log, VERIFY_SUBJECT, 1)})
    assert verified["user"]["emailVerified"] is True
    # and signs in, refreshes, and changes her password
    login = {"username": LEARNER["username"], "password": LEARNER["password"]}
    signed_in = client.payload("LoginWithRefresh", login)
    assert signed_in["user"]["emailVerified"] is True
    refreshed = client.payload("RefreshToken", {"refreshToken": signed_in["refreshToken"]})
    client.token = refreshed["token"]
    change = {"currentPassword": LEARNER["password"], "newPassword": "lena-password-2"}
    assert client.payload("ChangePassword", change)["ok"] is True
    # and resets it from a mailed link
    client.token = None
    client.payload("RequestPasswordReset", {"email": LEARNER["email"]})
    reset = {"token": mailed_token(mail_log, RESET_SUBJECT, 1), "newPassword": "lena-password-3"}
    assert client.payload("ResetPassword", reset)["ok"] is True
    # and signs in with the new password, then out everywhere
    signed_in = client.payload("LoginWithRefresh", {**login, "password": "lena-password-3"})
    client.token = signed_in["token"]
    assert client.payload("Logout", {"allSessions": True})["revoked"] is True
    # then her token is refused with 401
    assert client.send("Logout", {}).status_code == 401
    # and an admin reads every step in the audit log, in order
    admin = Client(server)
    admin.token = admin.payload("Login", {"username": "admin", "password": "admin-password"})[
        "token"
    ]
    audit = admin.payload(
        "AuditLog", {"filter": {"targetType": "user", "targetId": user_id}, "first": 50}
    )
    actions = [edge["node"]["action"] for edge in audit["edges"]]
    assert sorted(actions) == sorted(JOURNEY)
    assert {edge["node"]["actor"]["id"] for edge in audit["edges"]} == {user_id}
