"""What one seed run carries: the session, the moment it runs, the events and counts it makes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from domain.events import ChangeEvent, EntityType, EventType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["Seeding"]


@dataclass
class Seeding:
    """A seed run: rows it created (by kind) and the graph events they need."""

    session: Session
    now: datetime
    events: list[ChangeEvent] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)

    def node_created(self, entity_type: EntityType, entity_id: object) -> None:
        event_type = (
            EventType.USER_CREATED if entity_type is EntityType.USER else EventType.ENTITY_CREATED
        )
        self._mirrored(event_type, entity_type, str(entity_id))

    def edge_created(self, entity_type: EntityType, *key: object) -> None:
        """A mirrored relationship row; composite keys are joined with ':'."""
        self._mirrored(EventType.RELATIONSHIP_CREATED, entity_type, ":".join(map(str, key)))

    def row_created(self, kind: str, count: int = 1) -> None:
        """A row the graph does not mirror (questions, sessions, attempts, awards...)."""
        self.created[kind] += count

    def days_ago(self, days: int) -> datetime:
        """A moment on the calendar day (of `now`'s time zone) `days` before now, never later than now."""
        midnight = datetime.combine(self.now.date(), time(), tzinfo=self.now.tzinfo)
        earlier = min(timedelta(hours=1), self.now - midnight)
        return self.now - timedelta(days=days) - earlier

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    def _mirrored(self, event_type: EventType, entity_type: EntityType, entity_id: str) -> None:
        self.events.append(ChangeEvent(event_type, entity_type, entity_id, 1))
        self.created[entity_type.value] += 1
