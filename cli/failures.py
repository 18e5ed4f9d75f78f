"""Failures as one clear line naming the store or setting, never a traceback.

The store is told by the module of the exception (or of one it was raised from), so this module
imports none of the drivers and `learngraph --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LearngraphGroup", "failure_line", "store_address"]

STORE_OF_MODULE = {
    "sqlalchemy": "PostgreSQL",
    "psycopg": "PostgreSQL",
    "psycopg_pool": "PostgreSQL",
    "neo4j": "Neo4j",
    "redis": "Redis",
}
ONE_LINE_ERRORS = {"SettingsError", "StoreUnavailableError", "UserErrors"}
SETTING_OF_STORE = {"PostgreSQL": "database_url", "Neo4j": "neo4j_uri", "Redis": "redis_url"}


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _store_of(error: BaseException) -> str | None:
    for link in _chain(error):
        store = STORE_OF_MODULE.get(type(link).__module__.split(".")[0])
        if store is not None:
            return store
    return None


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    if text.startswith("(") and ") " in text:  # SQLAlchemy's "(psycopg.OperationalError) ..."
        text = text.split(") ", 1)[1]
    return text


def store_address(store: str) -> str:
    """Where the settings point for `store`: scheme, host and port, never credentials."""
    from config.settings import SettingsError, get_settings

    try:
        url = str(getattr(get_settings(), SETTING_OF_STORE[store]))
    except (SettingsError, KeyError):
        return ""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.split('+')[0]}://{parts.hostname}{port}{parts.path}"


def failure_line(error: BaseException) -> str:
    """`PostgreSQL (postgresql://db:5432/learngraph): connection refused`, or the like."""
    if type(error).__name__ in ONE_LINE_ERRORS:
        return _first_line(error)
    store = _store_of(error)
    if store is None:
        return f"unexpected {type(error).__name__}: {_first_line(error)}"
    address = store_address(store)
    where = f" ({address})" if address else ""
    return f"{store}{where}: {_first_line(error)}"


class LearngraphGroup(click.Group):
    """Turns any failure inside a command into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            raise click.ClickException(failure_line(error)) from None
