"""The one settings object, read once from the environment and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.production import refuse_example_secrets

__all__ = ["Settings", "SettingsError", "get_settings"]


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message names it in one line."""


def host_and_port(value: str) -> tuple[str, int]:
    """`host:port` or `[ipv6]:port` as (host, port); ValueError saying what is wrong."""
    host, colon, port = value.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected host:port (e.g. 127.0.0.1:9100), got {value!r}")
    return host, int(port)


class Settings(BaseSettings):
    """Every knob of learngraph. Names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # development (default) or production: production refuses example secrets and closes
    # GraphiQL, introspection and field suggestions unless they are switched on explicitly.
    lg_env: Literal["development", "production"] = "development"

    database_url: str = Field(pattern=r"^postgresql(\+psycopg)?://")
    neo4j_uri: str = Field(pattern=r"^(bolt|neo4j)(\+s|\+ssc)?://")
    neo4j_user: str = Field(min_length=1)
    neo4j_password: SecretStr
    neo4j_database: str = "neo4j"
    redis_url: str = Field(pattern=r"^rediss?://")
    token_secret: SecretStr = Field(min_length=32)
    # Access tokens are short-lived; a refresh token (single use, rotated) gets the next one.
    token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=30 * 86_400, gt=0)
    email_verification_ttl_seconds: int = Field(default=2 * 86_400, gt=0)
    password_reset_ttl_seconds: int = Field(default=3600, gt=0)

    # Mail (verification and reset links) goes out through the mail outbox. Without SMTP_HOST
    # each message is appended to MAIL_LOG_PATH instead, for developers and tests to read.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = Field(default="learngraph <no-reply@localhost>", min_length=3)
    mail_log_path: Path = Path("var/mail.mbox")
    mail_max_retries: int = Field(default=5, ge=0)
    # Links in mails point here: <APP_URL>/verify-email?token=... and /reset-password?token=...
    app_url: str = Field(default="http://localhost:5173", pattern=r"^https?://")

    lg_admin_username: str = Field(default="admin", min_length=3)
    lg_admin_password: SecretStr = Field(min_length=8)

    store_wait_seconds: float = Field(default=30.0, ge=0)
    sync_wait_seconds: float = Field(default=2.0, ge=0, le=30)
    neo4j_transaction_timeout_seconds: float = Field(default=10.0, gt=0)
    max_page_size: int = Field(default=100, gt=0)
    max_traversal_depth: int = Field(default=6, gt=0, le=20)
    query_stats: bool = False
    graphiql: bool | None = None  # None: on in development, off in production
    introspection: bool | None = None  # likewise
    suggestions: bool | None = None  # "Did you mean ...?"; never on while introspection is off
    max_query_depth: int = Field(default=12, gt=0)
    max_query_cost: int = Field(default=50_000, gt=0)
    # Connections per API process, kept open. Overflow connections would be opened and closed
    # per checkout: at 16 concurrent requests (several batches each) that churn cost more than
    # waiting a moment for a pooled one, so there are none unless asked for.
    database_pool_size: int = Field(default=20, gt=0, le=200)
    database_max_overflow: int = Field(default=0, ge=0, le=200)
    # Connections per API process for the JSON reads (persistence/sql/read_pool.py), opened as
    # reads need them and closed after five idle minutes.
    database_read_pool_size: int = Field(default=10, gt=0, le=200)
    principal_cache_seconds: float = Field(default=30.0, ge=0, le=300)  # 0 turns it off
    # Set by `learngraph serve` for its processes (several API processes share their metrics).
    prometheus_multiproc_dir: str | None = None
    # statistics shown to learners and anonymous callers need this many learners behind them
    lg_stats_min_learners: int = Field(default=5, ge=1)

    # The sync engine's schedule (run by every worker; a Redis lock lets one of them act per tick).
    relay_interval_seconds: float = Field(default=5.0, gt=0)
    relay_min_age_seconds: float = Field(default=10.0, ge=0)
    reconcile_interval_seconds: float = Field(default=3600.0, ge=0)  # 0 turns it off
    reconcile_batch_size: int = Field(default=1000, gt=0)
    # A running reconciliation whose heartbeat is older than this lost its worker: failed.
    reconcile_stale_seconds: float = Field(default=600.0, gt=0)
    # open events a worker batch takes along; at least one, since a wake-up carries only the
    # events of the commit that sent it and the others it covers are gathered (tasks/wakeup.py)
    sync_gather_limit: int = Field(default=500, ge=1)
    # Threads per worker process (`learngraph worker --threads` sets it); the worker's pool of
    # PostgreSQL connections keeps one open per thread.
    worker_threads: int = Field(default=4, gt=0, le=256)
    # The niceness a worker process runs at (tasks/priority.py): a drain yields the CPU to the
    # API on a shared host; 0 keeps the default priority.
    worker_nice: int = Field(default=10, ge=0, le=19)
    # The rest of the learning domain.
    study_session_idle_seconds: int = Field(default=1800, gt=0)  # an open session idle longer ends
    audit_retention_days: int = Field(default=365, ge=0)  # older audit entries go; 0 keeps all

    # The HTTP edge: bounds on what a request may carry, and who may call from a browser.
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    max_header_bytes: int = Field(default=16_384, gt=0)
    max_query_string_bytes: int = Field(default=32_768, gt=0)
    cors_origins: Annotated[list[str] | None, NoDecode] = None  # None: localhost in development
    metrics_token: SecretStr | None = None  # /metrics wants `Authorization: Bearer <it>`
    # host:port: /metrics is served there instead of on the API's public port.
    metrics_bind: str | None = None
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto `learngraph serve` believes (uvicorn's
    # --forwarded-allow-ips: addresses, networks or *); empty: none, the peer is the client.
    forwarded_allow_ips: str = ""
    db_statement_timeout_seconds: float = Field(default=10.0, gt=0)

    # Throttled attempts (sign-in, registration, secrets): failures per sliding window.
    throttle_window_seconds: int = Field(default=900, gt=0)
    throttle_max_failures: int = Field(default=5, gt=0)  # per subject and client address
    throttle_max_failures_per_subject: int = Field(default=20, gt=0)  # from anywhere
    throttle_max_failures_per_address: int = Field(default=50, gt=0)  # whatever the subject

    # Live updates over WebSockets (graphql-transport-ws).
    live_max_subscriptions_per_connection: int = Field(default=10, gt=0)
    live_max_connections_per_user: int = Field(default=5, gt=0)
    live_sync_status_interval_seconds: float = Field(default=1.0, gt=0)  # re-read at least so often
    live_min_push_interval_seconds: float = Field(default=0.25, ge=0)  # between two pushes

    # Logs: JSON lines for machines, or coloured key=value lines for a developer's terminal.
    log_format: Literal["json", "console"] = "console"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Worker figures for Prometheus on this port and up (one per worker process); 0 is off.
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)

    # Tracing: the standard OpenTelemetry names; spans are exported only when an endpoint is set.
    otel_exporter_otlp_endpoint: str | None = None
    otel_exporter_otlp_traces_endpoint: str | None = None
    otel_service_name: str | None = None

    @property
    def tracing_endpoint(self) -> str | None:
        return self.otel_exporter_otlp_traces_endpoint or self.otel_exporter_otlp_endpoint

    # Persisted operations: the APQ cache in Redis, and trusted documents for production.
    apq_max_entries: int = Field(default=10_000, ge=0)  # 0 turns automatic persisted queries off
    apq_ttl_seconds: int = Field(default=7 * 86_400, gt=0)
    persisted_only: bool = False  # run only the operations in OPERATIONS_MANIFEST
    operations_manifest: Path = Path("var/operations-manifest.json")

    conflict_strategy: Literal[
        "source_wins", "last_write_wins", "target_wins", "manual_review", "merge"
    ] = "source_wins"

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("metrics_bind")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is not None:
            host_and_port(value)
        return value

    @property
    def metrics_address(self) -> tuple[str, int] | None:
        """METRICS_BIND as (host, port), or None when /metrics shares the public port."""
        return host_and_port(self.metrics_bind) if self.metrics_bind else None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _environment_defaults(self) -> Settings:
        development = self.lg_env == "development"
        for name in ("graphiql", "introspection", "suggestions"):
            if getattr(self, name) is None:
                setattr(self, name, development)
        if not self.introspection:
            self.suggestions = False  # suggestions would reveal the schema all the same
        if self.lg_env == "production":
            refuse_example_secrets(self)
        return self

    @property
    def production(self) -> bool:
        return self.lg_env == "production"


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    if not problem["loc"]:  # a check over several settings names them in its message
        return str(problem["msg"]).removeprefix("Value error, ")
    name = ".".join(str(part) for part in problem["loc"]).upper() or "settings"
    return f"setting {name}: {problem['msg']}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once; a bad value raises SettingsError naming it."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_first_problem(error)) from None
