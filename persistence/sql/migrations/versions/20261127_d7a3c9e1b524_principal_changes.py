"""users: say on a channel when a user changes, so token checks can cache who a token names

Revision ID: d7a3c9e1b524
Revises: c4d1e5a7f210
Create Date: 2026-11-27 21:05:00
"""

from __future__ import annotations

from alembic import op

revision = "d7a3c9e1b524"
down_revision = "c4d1e5a7f210"
branch_labels = None
depends_on = None

# Any UPDATE or DELETE (role, active, a token generation or anything added later) names the
# user; a TRUNCATE says '*': everyone.
NOTIFY = """
CREATE FUNCTION users_notify_principal_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('learngraph_principal_changes', '*');
    ELSE
        PERFORM pg_notify('learngraph_principal_changes', OLD.id::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_principal_change AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_notify_principal_change();
CREATE TRIGGER users_principal_truncate AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION users_notify_principal_change();
"""


def upgrade() -> None:
    op.execute(NOTIFY)


def downgrade() -> None:
    op.execute("DROP TRIGGER users_principal_truncate ON users")
    op.execute("DROP TRIGGER users_principal_change ON users")
    op.execute("DROP FUNCTION users_notify_principal_change()")
