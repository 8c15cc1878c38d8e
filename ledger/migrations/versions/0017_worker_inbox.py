"""Workers' kiosk inbox and expiry reminders

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)
BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "worker_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("employee_id", sa.String(32), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("points", BIG, nullable=True),
        sa.Column("order_id", sa.String(36), nullable=True),
        sa.Column("rule_kind", sa.String(64), nullable=True),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("expires_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("read_at", UTC_TIME, nullable=True),
        sa.Column("read_device_id", sa.String(36), nullable=True),
        sa.Column("change_seq", BIG, nullable=True),
    )
    op.create_index("ix_worker_messages_change_seq", "worker_messages", ["change_seq"])
    op.create_index("ix_worker_messages_employee", "worker_messages", ["employee_id", "read_at"])
    op.create_index(
        "ix_worker_messages_unnumbered",
        "worker_messages",
        ["id"],
        postgresql_where=sa.text("change_seq IS NULL"),
        sqlite_where=sa.text("change_seq IS NULL"),
    )
    op.create_table(
        "inbox_cursor",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO inbox_cursor (id, position) VALUES (1, 0)")
    op.create_table(
        "expiry_reminders",
        sa.Column("lot_id", sa.Integer(), sa.ForeignKey("lots.id"), primary_key=True),
        sa.Column("threshold_days", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.String(32), nullable=False),
        sa.Column("points", BIG, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_expiry_reminders_sent_at", "expiry_reminders", ["sent_at"])


def downgrade() -> None:
    op.drop_table("expiry_reminders")
    op.drop_table("inbox_cursor")
    op.drop_table("worker_messages")
