"""docker-compose.yml and the Dockerfile, checked without Docker."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP_SERVICES = [name for name, service in SERVICES.items() if "build" in service]
STORES = ("postgres", "neo4j", "redis")
DOCKERFILE = (ROOT / "Dockerfile").read_text()


SPEC = json.loads((ROOT / "ops" / "compose" / "compose-spec.json").read_text())


def test_the_compose_file_follows_the_compose_specification() -> None:
    jsonschema.validate(COMPOSE, SPEC, cls=jsonschema.Draft7Validator)


def test_the_specification_refuses_a_misspelt_key() -> None:
    wrong = {"services": {"api": {"image": "x", "healthchek": {"test": ["CMD", "true"]}}}}
    with pytest.raises(jsonschema.ValidationError, match="healthchek"):
        jsonschema.validate(wrong, SPEC, cls=jsonschema.Draft7Validator)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_setting_the_app_is_given_exists(service: str) -> None:
    names = set(SERVICES[service]["environment"])
    assert names
    assert {name for name in names if name.lower() not in Settings.model_fields} == set()


def test_every_long_running_service_has_a_healthcheck_and_a_restart_policy() -> None:
    for name, service in SERVICES.items():
        if service.get("restart") == "no":  # a one-shot job: its exit code is its health
            continue
        assert service["healthcheck"]["test"], name
        assert service["restart"] in ("always", "unless-stopped", "on-failure"), name


def test_the_api_is_healthy_when_ready_and_the_worker_when_it_beats() -> None:
    assert "/readyz" in " ".join(SERVICES["api"]["healthcheck"]["test"])
    assert SERVICES["worker"]["healthcheck"]["test"] == ["CMD", "learngraph", "worker-health"]


def test_store_ports_are_bound_to_localhost_and_data_lives_in_named_volumes() -> None:
    for name in STORES:
        service = SERVICES[name]
        assert all(port.startswith("127.0.0.1:") for port in service["ports"]), name
        volumes = [volume.split(":")[0] for volume in service["volumes"]]
        assert volumes, name
        assert set(volumes) <= set(COMPOSE["volumes"]), name


def test_redis_keeps_an_append_only_file() -> None:
    command = SERVICES["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"


def test_the_worker_can_be_scaled() -> None:
    worker = SERVICES["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_setup_reconciles_after_seeding() -> None:
    command = " ".join(SERVICES["migrate"]["command"])
    assert re.search(r"learngraph migrate && learngraph seed && learngraph reconcile", command)
    for name in ("api", "worker"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_the_image_is_multi_stage_non_root_with_a_healthcheck_and_a_pinned_uv() -> None:
    stages = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert len(stages) >= 3
    assert re.fullmatch(r"ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+", stages[0])
    final = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    user = re.search(r"^USER\s+(\S+)", final, flags=re.MULTILINE)
    assert user is not None
    assert user.group(1) not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/readyz", final, flags=re.MULTILINE)
    assert "pip install" not in DOCKERFILE


def test_secrets_stay_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored
