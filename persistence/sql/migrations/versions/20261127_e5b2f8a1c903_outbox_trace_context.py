"""outbox_events.trace_context: the W3C trace context of the change, restored by the worker

Revision ID: e5b2f8a1c903
Revises: c4e1a7d2f903
Create Date: 2026-11-27 21:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e5b2f8a1c903"
down_revision = "c4e1a7d2f903"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox_events", sa.Column("trace_context", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox_events", "trace_context")
