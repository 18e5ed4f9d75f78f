"""The Starlette app: the one place the API is wired. Resources live in the lifespan."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import redis.asyncio as aioredis
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from config.settings import Settings, get_settings
from config.tracing import tracing_active
from domain.verified_tokens import VerifiedTokens
from persistence.graph.driver import make_async_driver
from persistence.sql.database import async_session_factory, make_async_engine, session_timeouts
from persistence.sql.principal_changes import PrincipalChanges
from persistence.sql.principals import PrincipalDirectory
from persistence.sql.read_pool import make_read_pool
from persistence.throttle import Throttle
from resolvers.live_hub import LiveHub
from resolvers.resources import ApiResources
from schema.edge.bounds import RequestBounds
from schema.edge.cors import cors_middleware
from schema.edge.headers import SecurityHeaders
from schema.edge.refusals import http_error_response
from schema.graphiql.page import static_mount
from schema.health import healthz, readyz
from schema.http.persisted import open_persisted_operations
from schema.http.view import GraphQLView
from schema.metrics import Metrics, metrics_endpoint
from schema.metrics_bind import MetricsBind
from schema.request_log import RequestLog
from schema.schema import build_schema
from tasks.mail import MailHandOver
from tasks.publish import OutboxPublisher
from tasks.reconcile import start_reconciliation

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["create_app"]


def open_resources(settings: Settings) -> ApiResources:
    engine = make_async_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        statement_timeout_seconds=settings.db_statement_timeout_seconds,
    )
    sessions = async_session_factory(engine)
    return ApiResources(
        settings=settings,
        engine=engine,
        reads=make_read_pool(
            settings.database_url,
            size=settings.database_read_pool_size,
            session_options=session_timeouts(settings.db_statement_timeout_seconds),
        ),
        sessions=sessions,
        driver=make_async_driver(settings),
        publish=OutboxPublisher(sessions),
        start_reconciliation=start_reconciliation,
        send_mail=MailHandOver(),
        principals=PrincipalDirectory(engine, seconds=settings.principal_cache_seconds),
        tokens=VerifiedTokens(settings.token_secret.get_secret_value()),
        throttle=Throttle(settings.redis_url),
        live=LiveHub(
            aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=1.0),
            max_connections_per_user=settings.live_max_connections_per_user,
        ),
    )


def edge_middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: security headers on every answer (refusals and preflights included),
    CORS, then the size bounds, so that nothing oversized reaches the app."""
    return [
        Middleware(SecurityHeaders, hsts=settings.production),
        cors_middleware(settings),
        Middleware(
            RequestBounds,
            max_body=settings.max_body_bytes,
            max_headers=settings.max_header_bytes,
            max_query_string=settings.max_query_string_bytes,
        ),
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        persisted = open_persisted_operations(settings)  # first: it may refuse to start
        app.state.persisted = persisted
        resources = open_resources(settings)
        app.state.resources = resources
        await resources.reads.open(wait=False)
        principal_changes = PrincipalChanges(settings.database_url, resources.principals)
        await principal_changes.start()
        resources.live.start()
        metrics_bind = MetricsBind(settings.metrics_address) if settings.metrics_address else None
        try:
            if metrics_bind is not None:
                await metrics_bind.start(app.state)
            yield
        finally:
            if metrics_bind is not None:
                await metrics_bind.close()
            await resources.live.close()
            await resources.throttle.close()
            await principal_changes.stop()
            await persisted.close()
            await resources.publish.drain()  # enqueue what commits handed over, then close
            await resources.send_mail.drain()
            await resources.driver.close()
            await resources.reads.close()
            await resources.engine.dispose()

    graphql = GraphQLView(
        build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        max_subscriptions_per_connection=settings.live_max_subscriptions_per_connection,
    )
    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.metrics_address is None:  # else on its own address, never the public port
        routes.append(Route("/metrics", metrics_endpoint))
    if settings.graphiql:
        routes.append(static_mount())  # the GraphiQL page's vendored scripts and styles
    # Outermost: every answer, refusals included, gets a request id and a log line.
    middleware = [Middleware(RequestLog), *edge_middleware(settings)]
    if tracing_active():  # outermost of all: the request's span is the root of its trace
        middleware.insert(0, Middleware(OpenTelemetryMiddleware))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error_response},
    )
    app.state.metrics = Metrics(settings.prometheus_multiproc_dir)
    return app
