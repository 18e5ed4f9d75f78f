"""Input checks shared by every mutation; each collects errors naming the field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import email_validator
from email_validator import EmailNotValidError, validate_email

from domain.errors import ErrorCode, UserError, UserErrors

__all__ = ["MAX_INT", "Checks", "is_blank", "is_email", "is_web_url"]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
WHITESPACE = re.compile(r"\s")
INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))  # control, format, separators
PASSWORD_LENGTH = (8, 128)
MAX_INT = 2**31 - 1  # the largest value of an integer column (versions, counters)


def is_blank(value: str) -> bool:
    """Nothing a reader would see: only whitespace, control and format characters (a zero-width
    space, a direction mark), which str.strip() keeps."""
    return all(char.isspace() or unicodedata.category(char) in INVISIBLE for char in value)


# email-validator refuses special-use domains; `.local` stays allowed, as the development
# accounts and mail log use it (its README's way: take the name off this list)
if "local" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
    email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("local")


def is_email(value: str) -> bool:
    """An address mail can go to, by email-validator's syntax rules (no DNS): no quotes, angle
    brackets, commas or control characters, a domain name with a dot."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def is_web_url(value: str) -> bool:
    """An absolute http or https URL with a host and no whitespace."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not WHITESPACE.search(value)


@dataclass
class Checks:
    """Collects every problem with an input, then raises them together."""

    errors: list[UserError] = field(default_factory=list)

    def fail(self, name: str, message: str, code: ErrorCode = ErrorCode.VALIDATION) -> None:
        self.errors.append(UserError(field=name, message=message, code=code))

    def text(
        self, name: str, value: str | None, *, max_length: int, required: bool = False
    ) -> None:
        if value is None:
            if required:
                self.fail(name, f"{name} is required")
            return
        if required and is_blank(value):
            self.fail(name, f"{name} must not be empty")
        elif len(value) > max_length:
            self.fail(name, f"{name} must be at most {max_length} characters")

    def snake_case(self, name: str, value: str | None, *, max_length: int = 100) -> None:
        self.text(name, value, max_length=max_length, required=True)
        if value and not is_blank(value) and not SNAKE_CASE.match(value):
            self.fail(name, f"{name} must be snake_case: lowercase letters, digits and _")

    def number(self, name: str, value: float | None, *, low: float, high: float) -> None:
        """Every number has both bounds: one without a ceiling would reach the database's
        (an integer column's 2**31 - 1, a sum that overflows it) as an internal error."""
        if value is not None and not low <= value <= high:
            self.fail(name, f"{name} must be between {low:g} and {high:g}")

    def texts(self, name: str, values: list[str] | None, *, max_items: int = 50) -> None:
        if values is None:
            return
        if len(values) > max_items:
            self.fail(name, f"{name} takes at most {max_items} items")
        if any(is_blank(value) or len(value) > 500 for value in values):
            self.fail(name, f"{name} items must be non-empty and at most 500 characters")

    def password(self, name: str, value: str | None) -> None:
        """8 to 128 characters, not all of them invisible (spaces, zero-width characters)."""
        low, high = PASSWORD_LENGTH
        if value is None or not low <= len(value) <= high:
            self.fail(name, f"{name} takes {low} to {high} characters")
        elif is_blank(value):
            self.fail(name, f"{name} must not be only spaces or invisible characters")

    def url(self, name: str, value: str | None, *, max_length: int) -> None:
        if value is not None and (len(value) > max_length or not is_web_url(value)):
            self.fail(name, f"{name} must be an http(s) URL of at most {max_length} characters")

    def raise_if_any(self) -> None:
        if self.errors:
            raise UserErrors(*self.errors)
