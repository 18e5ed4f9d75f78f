"""What workers tell API processes after the graph applied a batch (Redis pub/sub messages).

A notice names the learners whose own changes (progress, path enrollment, skill mastery) are
now in the graph, and the concepts whose progress changed per learner. Learner edges are keyed
`<user id>:<other id>`, so the learner is read off the entity id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.events import EntityType

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CHANNEL", "LEARNER_ENTITIES", "AppliedNotice", "notice_of"]

CHANNEL = "learngraph:live:applied"
LEARNER_ENTITIES = frozenset(
    {EntityType.CONCEPT_PROGRESS, EntityType.PATH_ENROLLMENT, EntityType.SKILL_MASTERY}
)


@dataclass(frozen=True)
class AppliedNotice:
    """One applied batch: how many events, and per learner the concepts whose progress moved."""

    events: int
    learners: dict[str, frozenset[str]] = field(default_factory=dict)

    def encode(self) -> str:
        learners = {user: sorted(concepts) for user, concepts in self.learners.items()}
        return json.dumps({"events": self.events, "learners": learners})

    @classmethod
    def decode(cls, raw: str | bytes) -> AppliedNotice:
        data = json.loads(raw)
        learners = {str(user): frozenset(map(str, ids)) for user, ids in data["learners"].items()}
        return cls(events=int(data["events"]), learners=learners)


def notice_of(events: int, applied: Iterable[tuple[str, str]]) -> AppliedNotice:
    """The notice for a batch that applied these (entity type, entity id) pairs."""
    learners: dict[str, set[str]] = {}
    for entity_type, entity_id in applied:
        if entity_type not in LEARNER_ENTITIES:
            continue
        user, _, other = entity_id.partition(":")
        concepts = learners.setdefault(user, set())
        if entity_type == EntityType.CONCEPT_PROGRESS:
            concepts.add(other)
    return AppliedNotice(events, {user: frozenset(ids) for user, ids in learners.items()})
