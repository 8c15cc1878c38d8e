"""PINs are checked by the ledger: no PIN hashes and no local PIN lockout on the kiosk

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employees") as batch:
        batch.drop_column("pin_hash")
    op.drop_table("pin_failures")


def downgrade() -> None:
    op.create_table(
        "pin_failures",
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    with op.batch_alter_table("employees") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
