"""A worker's batches are counted, and each worker process serves its figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from ops.processes import free_port
from tasks.metrics import WORKER_REGISTRY, serve
from tests.support.waiting import eventually

if TYPE_CHECKING:
    import dramatiq


def applied() -> float:
    value = WORKER_REGISTRY.get_sample_value("learngraph_worker_events_applied_total")
    return value or 0.0


def test_a_batch_is_counted_with_its_size_and_duration(worker: dramatiq.Worker) -> None:
    # given the bootstrap admin's event waiting, and the figures so far
    before = applied()
    batches = WORKER_REGISTRY.get_sample_value("learngraph_worker_batch_events_count") or 0.0
    # when the worker applies it
    eventually(lambda: applied() > before, timeout=30)
    # then one more batch was observed, with its duration
    assert applied() == before + 1
    assert WORKER_REGISTRY.get_sample_value("learngraph_worker_batch_events_count") == batches + 1
    assert WORKER_REGISTRY.get_sample_value("learngraph_worker_batch_seconds_count") == batches + 1


def test_each_worker_process_serves_its_figures_on_the_first_free_port() -> None:
    # given a port already taken by another process's server
    first = free_port()
    assert serve(first) == first
    # when one more asks from the same port, it takes the next free one
    second = serve(first)
    assert second is not None
    assert second > first
    # then both answer with the worker's figures
    for port in (first, second):
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert "learngraph_worker_batch_events_bucket" in text
        assert "learngraph_worker_events_applied_total" in text
