"""Structured logs for the API, the workers and the command line (structlog over stdlib logging).

Every record, ours or a library's, leaves as one line: JSON (`LOG_FORMAT=json`) or coloured
key=value text (`console`, the default for development). Each line carries the time (UTC, ISO
8601), the level, the process kind (`api`, `worker`, `cli`), the trace id when a span is active,
and whatever the code bound for the request or message in progress (request id, operation name,
user id, correlation id, event ids).

Secrets never leave: values under secret-sounding keys are replaced, and every string has the
configured secrets (token secret, passwords), bearer tokens, JWTs and URL passwords masked,
whichever library wrote it.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TYPE_CHECKING, Any

import structlog
from opentelemetry import trace

if TYPE_CHECKING:
    from collections.abc import Iterable, MutableMapping

    from config.settings import Settings

__all__ = ["SecretMasker", "configure_logging", "get_logger"]

MASK = "[redacted]"
SECRET_KEYS = re.compile(r"pass(word)?|secret|token|authorization|cookie|api_?key", re.I)
SECRET_PATTERNS = (
    re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+"),
    re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"),  # a JWT
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"),  # user:password@ in a URL
)
QUIET_LIBRARIES = {
    "neo4j": logging.WARNING,
    "httpx": logging.WARNING,
    "urllib3": logging.WARNING,
    "apscheduler": logging.WARNING,  # a line per tick otherwise; its errors still show
}


class SecretMasker:
    """A structlog processor: no configured secret, token or password reaches a log line."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for pattern in SECRET_PATTERNS:
            text = pattern.sub(MASK, text)
        return text

    def _clean(self, key: str, value: Any) -> Any:
        if SECRET_KEYS.search(key) and value not in (None, "", [], {}):
            return MASK
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(key, item) for item in value]
        return value

    def __call__(
        self, _: Any, __: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        return {key: self._clean(key, value) for key, value in event.items()}


def _add_trace_id(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def _process_kind(process: str) -> Any:
    def add(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event["process"] = process
        return event

    return add


def _secrets_of(settings: Settings) -> list[str]:
    from sqlalchemy.engine import make_url

    secrets = [
        settings.token_secret.get_secret_value(),
        settings.neo4j_password.get_secret_value(),
        settings.lg_admin_password.get_secret_value(),
    ]
    database_password = make_url(settings.database_url).password
    return [*secrets, *([str(database_password)] if database_password else [])]


def _shared(process: str, masker: SecretMasker) -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        _process_kind(process),
        _add_trace_id,
        structlog.processors.format_exc_info,
        masker,
    ]


def _renderer(log_format: str) -> Any:
    if log_format == "json":
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())


def _route_uvicorn_through_root() -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # requests log themselves


def configure_logging(settings: Settings, *, process: str) -> None:
    """Send every log record of this process through structlog, rendered per LOG_FORMAT.

    Handlers already on the root logger (Dramatiq's pipe to its parent) are kept, with our
    formatter; without any, records go to stderr.
    """
    masker = SecretMasker(_secrets_of(settings))
    shared = _shared(process, masker)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _renderer(settings.log_format),
        ],
    )
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in root.handlers:
        handler.setFormatter(formatter)
    root.setLevel(settings.log_level)
    for name, level in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(max(level, logging.getLevelName(settings.log_level)))
    _route_uvicorn_through_root()
    structlog.configure(
        processors=[*shared[:1], structlog.stdlib.filter_by_level, *shared[1:],
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )  # fmt: skip


def get_logger(name: str) -> Any:
    """A structlog logger: `get_logger(__name__).info("what happened", key=value)`."""
    return structlog.stdlib.get_logger(name)
