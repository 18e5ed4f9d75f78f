"""What `dramatiq tasks.worker` loads: the broker first, then every actor."""

from tasks.broker import broker
from tasks.sync import apply_outbox_events

__all__ = ["apply_outbox_events", "broker"]
