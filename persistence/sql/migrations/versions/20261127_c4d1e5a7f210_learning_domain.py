"""lessons, lesson progress, live study sessions, badges, audit log, mail outbox, token families

Revision ID: c4d1e5a7f210
Revises: b89c0191b76f
Create Date: 2026-11-27 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c4d1e5a7f210"
down_revision = "b89c0191b76f"
branch_labels = None
depends_on = None

# Entries are appended, never changed; deletes only by the retention purge, which says so.
AUDIT_GUARD = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('learngraph.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""


def upgrade() -> None:
    _lessons()
    _sessions()
    _badges()
    _auth_tokens()
    _audit_log()
    _mail_outbox()


def _lessons() -> None:
    op.alter_column("lessons", "content", new_column_name="body")
    op.add_column("lessons", sa.Column("summary", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "lessons", sa.Column("content_type", sa.String(16), server_default="text", nullable=False)
    )
    op.add_column(
        "lessons", sa.Column("duration_minutes", sa.Integer(), server_default="10", nullable=False)
    )
    op.create_check_constraint(
        "content_type", "lessons", "content_type IN ('text', 'video', 'interactive', 'exercise')"
    )
    op.create_check_constraint("duration", "lessons", "duration_minutes BETWEEN 1 AND 600")
    op.create_check_constraint("order_index", "lessons", "order_index >= 0")
    op.create_index("ix_lessons_concept_order", "lessons", ["concept_id", "order_index"])
    op.create_table(
        "lesson_progress",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("lesson_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed')", name=op.f("ck_lesson_progress_status")
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lesson_progress_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_lesson_progress_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "lesson_id", name=op.f("pk_lesson_progress")),
    )
    op.create_index(op.f("ix_lesson_progress_lesson_id"), "lesson_progress", ["lesson_id"])


def _sessions() -> None:
    op.add_column("learning_sessions", sa.Column("ended_at", sa.DateTime(timezone=True)))
    op.add_column("learning_sessions", sa.Column("last_activity_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE learning_sessions SET ended_at = started_at + duration_seconds * interval '1 second',"
        " last_activity_at = started_at + duration_seconds * interval '1 second'"
    )
    op.alter_column(
        "learning_sessions", "last_activity_at", nullable=False, server_default=sa.func.now()
    )
    op.create_check_constraint(
        "ended_after_start", "learning_sessions", "ended_at IS NULL OR ended_at >= started_at"
    )
    op.create_index(
        "uq_learning_sessions_one_open",
        "learning_sessions",
        ["user_id"],
        unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def _badges() -> None:
    op.add_column("achievements", sa.Column("rule", sa.String(32)))
    op.add_column("achievements", sa.Column("threshold", sa.Integer()))
    op.add_column("achievements", sa.Column("icon_url", sa.String(500)))
    op.create_check_constraint(
        "badge_rule", "achievements", "kind = 'achievement' OR rule IS NOT NULL"
    )
    op.create_check_constraint("threshold", "achievements", "threshold IS NULL OR threshold >= 1")


def _auth_tokens() -> None:
    op.add_column("auth_tokens", sa.Column("family_id", sa.Uuid()))
    op.add_column("auth_tokens", sa.Column("revoked_at", sa.DateTime(timezone=True)))
    op.create_index(op.f("ix_auth_tokens_family_id"), "auth_tokens", ["family_id"])


def _audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(64), nullable=True),
        sa.Column("target_id", sa.String(200), nullable=True),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column(
            "details", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor_id", "at"])
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id"])
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.execute(AUDIT_GUARD)


def _mail_outbox() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'dead')", name=op.f("ck_mail_outbox_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(
        "ix_mail_outbox_open",
        "mail_outbox",
        ["created_at"],
        postgresql_where=sa.text("status IN ('pending', 'failed')"),
    )


def downgrade() -> None:
    op.drop_table("mail_outbox")
    op.execute("DROP TABLE audit_log")
    op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_index(op.f("ix_auth_tokens_family_id"), "auth_tokens")
    op.drop_column("auth_tokens", "revoked_at")
    op.drop_column("auth_tokens", "family_id")
    op.drop_constraint(op.f("ck_achievements_threshold"), "achievements", type_="check")
    op.drop_constraint(op.f("ck_achievements_badge_rule"), "achievements", type_="check")
    for column in ("icon_url", "threshold", "rule"):
        op.drop_column("achievements", column)
    op.drop_index("uq_learning_sessions_one_open", "learning_sessions")
    op.drop_constraint(op.f("ck_learning_sessions_ended_after_start"), "learning_sessions")
    op.drop_column("learning_sessions", "last_activity_at")
    op.drop_column("learning_sessions", "ended_at")
    op.drop_table("lesson_progress")
    op.drop_index("ix_lessons_concept_order", "lessons")
    for name in ("order_index", "duration", "content_type"):
        op.drop_constraint(op.f(f"ck_lessons_{name}"), "lessons")
    for column in ("duration_minutes", "content_type", "summary"):
        op.drop_column("lessons", column)
    op.alter_column("lessons", "body", new_column_name="content")
