"""sync engine: open events by entity, reconciliation run heartbeats

Revision ID: c4e1a7d2f903
Revises: d7a3c9e1b524
Create Date: 2026-11-27 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4e1a7d2f903"
down_revision = "d7a3c9e1b524"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'published', 'failed')")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_events_open_entity",
        "outbox_events",
        ["entity_type", "entity_id"],
        postgresql_where=OPEN,
    )
    op.add_column(
        "reconciliation_runs",
        sa.Column(
            "heartbeat_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("reconciliation_runs", "heartbeat_at")
    op.drop_index("ix_outbox_events_open_entity", table_name="outbox_events")
