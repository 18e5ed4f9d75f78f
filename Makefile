# learngraph: `make up` brings the product up, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --frozen

.PHONY: help tools deps up down status test lint typecheck unit schema-export services-test bench bench-quick

help:
	@echo "make up      services, migrations, demo data, API on :8000 and a worker"
	@echo "make down    stop API, worker and services"
	@echo "make test    lint, type checks and the whole test suite on real services"
	@echo "make bench-quick / make bench   benchmarks against their baselines (results in benchmarks/results)"

tools:
	@command -v uv >/dev/null 2>&1 || test -x "$(UV)" || python3 -m pip install --quiet --user uv

deps: tools
	@$(UV) sync --frozen --quiet

.env:
	cp .env.example .env

up: deps .env
	python3 ops/services.py up --profile dev
	$(RUN) learngraph migrate
	$(RUN) learngraph seed
	$(RUN) learngraph operations register --skip-invalid tests/contract/*.graphql
	$(RUN) learngraph reconcile
	python3 ops/product.py start

down:
	-python3 ops/product.py stop
	python3 ops/services.py down --profile dev

status:
	python3 ops/services.py status --profile dev
	python3 ops/product.py status

lint: deps
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: deps
	$(RUN) mypy .

services-test:
	python3 ops/services.py up --profile test

test: deps lint typecheck services-test
	$(RUN) python -m schema.export --check
	$(RUN) pytest -p no:cacheprovider

schema-export: deps
	$(RUN) python -m schema.export

bench-quick: deps
	python3 ops/services.py up --profile bench
	$(RUN) python -m benchmarks --scale quick

bench: deps
	python3 ops/services.py up --profile bench
	$(RUN) python -m benchmarks --scale full
