"""The notice a worker publishes after applying a batch names the learners it concerns."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from domain.live import AppliedNotice, notice_of
from resolvers.live_hub import LiveHub, Mailbox


def test_a_notice_names_each_learner_and_the_concepts_whose_progress_moved() -> None:
    # given a batch with progress, an enrollment, mastery and a concept
    applied = [
        ("concept_progress", "u1:c1"),
        ("concept_progress", "u1:c2"),
        ("path_enrollment", "u2:p1"),
        ("skill_mastery", "u3:s1"),
        ("concept", "c9"),
    ]
    # when the notice is made
    notice = notice_of(5, applied)
    # then every learner is named, with the concepts of their progress only
    assert notice == AppliedNotice(
        5, {"u1": frozenset({"c1", "c2"}), "u2": frozenset(), "u3": frozenset()}
    )


def test_a_notice_survives_encoding() -> None:
    notice = AppliedNotice(2, {"u1": frozenset({"c1"})})
    assert AppliedNotice.decode(notice.encode()) == notice


def test_a_batch_without_learner_changes_names_nobody() -> None:
    assert notice_of(1, [("concept", "c1")]).learners == {}


async def test_the_hub_wakes_only_the_learners_named_and_every_sync_watcher() -> None:
    # given mailboxes of two learners and of an operator (no Redis is contacted)
    hub = LiveHub(aioredis.Redis(), max_connections_per_user=1)
    ada, bob, operator = Mailbox("ada"), Mailbox("bob"), Mailbox(None)
    hub._mailboxes |= {ada, bob, operator}
    # when a notice names ada's progress on one concept
    hub.dispatch(AppliedNotice(1, {"ada": frozenset({"c1"})}))
    # then ada and the operator wake, bob does not
    assert await ada.wait(0) is True
    assert ada.take() == {"c1"}
    assert await operator.wait(0) is True
    assert await bob.wait(0) is False
    # and after a lost connection everyone reads again
    hub.wake_all()
    assert await bob.wait(0) is True
    await hub.client.aclose()


async def test_closing_ends_a_listener_whose_cancel_came_back_as_a_connection_error() -> None:
    # given a hub whose listener, once cancelled, raises a connection error instead (as
    # redis-py can when a read or handshake is cancelled); no Redis is contacted
    hub = LiveHub(aioredis.Redis(), max_connections_per_user=1)

    async def listen(*, resumed: bool) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise RedisConnectionError("connection closed while reading") from None

    hub._listen = listen  # type: ignore[method-assign]
    hub.start()
    await asyncio.sleep(0)
    # when the hub closes
    await hub.close()
    # then its tasks have ended: none is left pending for the loop to destroy
    assert all(task.done() for task in hub._tasks)
