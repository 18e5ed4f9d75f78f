"""users: a token generation that every access token carries; changing it revokes them all

Revision ID: e5b2f8a1c937
Revises: e5b2f8a1c903
Create Date: 2026-11-27 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e5b2f8a1c937"
down_revision = "e5b2f8a1c903"
branch_labels = None
depends_on = None

# Whatever writes the row (a mutation, the CLI, a hand-run UPDATE), a change of role, of
# activation or of password moves the generation on, and with it every token issued before.
BUMP = """
CREATE FUNCTION users_bump_token_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role IS DISTINCT FROM OLD.role
       OR NEW.is_active IS DISTINCT FROM OLD.is_active
       OR NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
        NEW.token_generation := GREATEST(NEW.token_generation, OLD.token_generation + 1);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_token_generation BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_bump_token_generation();
"""


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("token_generation", sa.Integer(), nullable=False, server_default="1"),
    )
    op.execute(BUMP)


def downgrade() -> None:
    op.execute("DROP TRIGGER users_token_generation ON users")
    op.execute("DROP FUNCTION users_bump_token_generation()")
    op.drop_column("users", "token_generation")
