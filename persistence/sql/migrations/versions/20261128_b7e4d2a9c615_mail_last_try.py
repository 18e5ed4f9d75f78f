"""mail_outbox.last_tried_at: when the last failed or successful try happened, so the relay can
send again a failed message whose retry message was lost

Revision ID: b7e4d2a9c615
Revises: a3f7c2e9d416
Create Date: 2026-11-28 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7e4d2a9c615"
down_revision = "a3f7c2e9d416"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mail_outbox", sa.Column("last_tried_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE mail_outbox SET last_tried_at = created_at WHERE attempts > 0")


def downgrade() -> None:
    op.drop_column("mail_outbox", "last_tried_at")
