"""outbox_events: no partial index of open events by entity. With the planner's statistics of
open events always stale ("no open event"), scanning such an index whole looked free, and a
batch's lookups by id or entity scanned every open event for each key; they now say NOT IN
(completed, dead), which no partial index serves, and use the primary key or the entity index

Revision ID: c6a1d9e4b208
Revises: f2c8a5d1e317
Create Date: 2026-11-28 05:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c6a1d9e4b208"
down_revision = "f2c8a5d1e317"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'published', 'failed')")


def upgrade() -> None:
    op.drop_index("ix_outbox_events_open_entity", table_name="outbox_events")


def downgrade() -> None:
    op.create_index(
        "ix_outbox_events_open_entity",
        "outbox_events",
        ["entity_type", "entity_id"],
        postgresql_where=OPEN,
    )
