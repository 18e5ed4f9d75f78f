# syntax=docker/dockerfile:1
# Two stages: uv (pinned) builds the virtual environment; the final image holds only Python, the
# environment and the code, and runs as an unprivileged user.
FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM python:3.11-slim AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY cli cli
COPY config config
COPY domain domain
COPY persistence persistence
COPY resolvers resolvers
COPY schema schema
COPY tasks tasks
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin learngraph
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1 LOG_FORMAT=json
USER learngraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz', timeout=3)"]
CMD ["learngraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
