"""Tracing is off unless an OTLP endpoint is set; log lines never carry secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config.logs import MASK, SecretMasker

PROBE = """
from config.settings import get_settings
from config.tracing import configure_tracing, tracing_active
from opentelemetry import trace
configure_tracing(get_settings(), service="api")
print(tracing_active(), type(trace.get_tracer_provider()).__name__)
"""


def tracing_state(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_tracing_is_off_without_an_endpoint() -> None:
    assert tracing_state() == "False ProxyTracerProvider"


@pytest.mark.parametrize(
    "name", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
)
def test_an_otlp_endpoint_turns_tracing_on(name: str) -> None:
    assert tracing_state(**{name: "http://127.0.0.1:9"}) == "True TracerProvider"


MASKER = SecretMasker(["s3cret-token-secret", "hunter22"])


def test_configured_secrets_tokens_and_url_passwords_are_masked_in_any_text() -> None:
    event = {
        "event": "connect failed for postgresql://lg:hunter22@db:5432/x",
        "detail": ["Authorization: Bearer abc.def.ghi", "jwt eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl"],
        "nested": {"note": "key s3cret-token-secret leaked"},
    }
    cleaned = MASKER(None, "info", event)
    text = repr(cleaned)
    for secret in ("hunter22", "abc.def.ghi", "eyJhbGciOi", "s3cret-token-secret", "Bearer"):
        assert secret not in text
    assert cleaned["event"] == f"connect failed for postgresql://{MASK}@db:5432/x"


def test_values_under_secret_keys_are_replaced_whatever_they_are() -> None:
    cleaned = MASKER(None, "info", {"password": "x", "token": 42, "user_id": "u1", "api_key": ""})
    assert cleaned == {"password": MASK, "token": MASK, "user_id": "u1", "api_key": ""}
