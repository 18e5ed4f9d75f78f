"""Trace context across the broker: a send span on enqueue, the worker's span restored from it.

The message carries the W3C context in `options["trace_context"]` (set from the current span when
a commit's events are enqueued, or from the outbox row's stored context when the relay re-sends
them). The worker opens `dramatiq.process <actor>` as its child, so SQL and Neo4j spans of the
apply hang under the request that made the change: one trace from request to graph.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import dramatiq
from opentelemetry import context, propagate, trace
from opentelemetry.trace import Span, Status, StatusCode

from config.settings import get_settings
from config.tracing import configure_tracing, tracer

if TYPE_CHECKING:
    from dramatiq.broker import MessageProxy

__all__ = ["TRACE_OPTION", "MessageTracing"]

TRACE_OPTION = "trace_context"


class MessageTracing(dramatiq.Middleware):
    def __init__(self) -> None:
        self._open: dict[str, tuple[Span, object]] = {}
        self._lock = threading.Lock()

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        configure_tracing(get_settings(), service="worker")

    def before_enqueue(self, broker: dramatiq.Broker, message: Any, delay: int) -> None:
        if not trace.get_current_span().get_span_context().is_valid:
            return
        name = f"dramatiq.send {message.actor_name}"
        with tracer(__name__).start_as_current_span(name, kind=trace.SpanKind.PRODUCER) as span:
            span.set_attribute("messaging.destination.name", message.queue_name)
            headers: dict[str, str] = {}
            propagate.inject(headers)
            message.options[TRACE_OPTION] = headers

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        parent = propagate.extract(message.options.get(TRACE_OPTION) or {})
        span = tracer(__name__).start_span(
            f"dramatiq.process {message.actor_name}", context=parent, kind=trace.SpanKind.CONSUMER
        )
        span.set_attribute("messaging.message.id", message.message_id)
        token = context.attach(trace.set_span_in_context(span))
        with self._lock:
            self._open[message.message_id] = (span, token)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        with self._lock:
            opened = self._open.pop(message.message_id, None)
        if opened is None:
            return
        span, token = opened
        if exception is not None:
            span.record_exception(exception)
            span.set_status(Status(StatusCode.ERROR, str(exception)[:200]))
        context.detach(token)  # type: ignore[arg-type]
        span.end()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        self.after_process_message(broker, message)
