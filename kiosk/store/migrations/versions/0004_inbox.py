"""The workers' inbox: mirrored messages and the read marks made here

The ledger numbered its messages before this kiosk knew them, so the cursor is dropped and
the next pull is a full snapshot that brings every unread one.

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("rule_kind", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("gen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_messages_employee", "messages", ["employee_id", "read"])
    op.create_table(
        "read_marks",
        sa.Column("message_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index("ix_read_marks_outbox_id", "read_marks", ["outbox_id"])
    op.execute(
        "UPDATE sync_state SET cursor = NULL, epoch = NULL, snapshot_pending = 1,"
        " generation = generation + 1"
    )


def downgrade() -> None:
    op.drop_table("read_marks")
    op.drop_table("messages")
