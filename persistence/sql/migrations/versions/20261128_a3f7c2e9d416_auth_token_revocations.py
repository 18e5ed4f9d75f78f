"""auth_tokens: say on the principal channel when a token is revoked or deleted, so a token
check that cached a sign-in as live forgets it; look-ups of a user's open tokens by kind

Revision ID: a3f7c2e9d416
Revises: e5b2f8a1c937
Create Date: 2026-11-28 00:00:00
"""

from __future__ import annotations

from alembic import op

revision = "a3f7c2e9d416"
down_revision = "e5b2f8a1c937"
branch_labels = None
depends_on = None

NOTIFY = """
CREATE FUNCTION auth_tokens_notify_principal_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('learngraph_principal_changes', '*');
    ELSIF TG_OP = 'DELETE' OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
        PERFORM pg_notify('learngraph_principal_changes', OLD.user_id::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER auth_tokens_principal_change AFTER UPDATE OR DELETE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION auth_tokens_notify_principal_change();
CREATE TRIGGER auth_tokens_principal_truncate AFTER TRUNCATE ON auth_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION auth_tokens_notify_principal_change();
"""


def upgrade() -> None:
    op.execute(NOTIFY)
    op.create_index(
        "ix_auth_tokens_open_by_user",
        "auth_tokens",
        ["user_id", "kind"],
        postgresql_where="revoked_at IS NULL AND used_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index("ix_auth_tokens_open_by_user", "auth_tokens")
    op.execute("DROP TRIGGER auth_tokens_principal_truncate ON auth_tokens")
    op.execute("DROP TRIGGER auth_tokens_principal_change ON auth_tokens")
    op.execute("DROP FUNCTION auth_tokens_notify_principal_change()")
