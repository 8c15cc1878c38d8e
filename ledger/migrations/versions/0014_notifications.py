"""Notifications to HR: channels, users' preferences, messages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_channels",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
    )
    op.create_table(
        "notify_preferences",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("console_users.id"), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("topic", sa.String(24), nullable=False),
        sa.Column("cause", sa.String(80), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("recipient", "topic", "cause", name="uq_notifications_cause"),
    )
    op.create_index("ix_notifications_status", "notifications", ["status"])
    op.create_index("ix_notifications_due", "notifications", ["status", "next_attempt_at"])
    # A ledger upgraded with history is told of what happens from now on, not of the past.
    op.execute(
        "INSERT INTO meta (key, value) SELECT 'notify_cursor', "
        "CAST(COALESCE(MAX(position), 0) AS VARCHAR(20)) FROM domain_events"
    )


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'notify_cursor'")
    op.drop_table("notifications")
    op.drop_table("notify_preferences")
    op.drop_table("notify_channels")
