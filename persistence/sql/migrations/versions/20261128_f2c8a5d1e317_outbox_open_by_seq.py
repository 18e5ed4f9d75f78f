"""outbox_events: open events indexed by seq (replacing open events by status and created_at),
so a worker's gather and the relay read the oldest open events without sorting every one

Revision ID: f2c8a5d1e317
Revises: b7e4d2a9c615
Create Date: 2026-11-28 02:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f2c8a5d1e317"
down_revision = "b7e4d2a9c615"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'published', 'failed')")


def upgrade() -> None:
    op.create_index("ix_outbox_events_open_seq", "outbox_events", ["seq"], postgresql_where=OPEN)
    op.drop_index("ix_outbox_events_open", table_name="outbox_events")


def downgrade() -> None:
    op.create_index(
        "ix_outbox_events_open", "outbox_events", ["status", "created_at"], postgresql_where=OPEN
    )
    op.drop_index("ix_outbox_events_open_seq", table_name="outbox_events")
