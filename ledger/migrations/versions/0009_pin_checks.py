"""PINs checked by the ledger: lockout per employee across kiosks, single-use PIN tokens

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pin_locks",
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"]),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    op.create_table(
        "pin_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_pin_tokens_expires_at", "pin_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_pin_tokens_expires_at", table_name="pin_tokens")
    op.drop_table("pin_tokens")
    op.drop_table("pin_locks")
