"""Least data: the mirror keeps only what the kiosk shows or checks

The sync feed no longer carries an employee's department, a badge's issue time, a lot's
original points, an order's device, offline flag and last change time, nor the ledger's clock
with each page; their columns go.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DROPPED = {
    "employees": ("department",),
    "badges": ("issued_at",),
    "lots": ("points",),
    "orders": ("device_id", "offline", "updated_at"),
    "sync_state": ("server_time",),
}


def upgrade() -> None:
    for table, columns in DROPPED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)


def downgrade() -> None:
    # The values are gone: placeholders fill the NOT NULL columns, and the cursor is dropped
    # so that the older kiosk reloads a full snapshot carrying the real ones.
    epoch = sa.text("'1970-01-01 00:00:00.000000'")
    with op.batch_alter_table("employees") as batch:
        batch.add_column(sa.Column("department", sa.String(80), nullable=False, server_default=""))
    with op.batch_alter_table("badges") as batch:
        batch.add_column(
            sa.Column("issued_at", sa.DateTime(), nullable=False, server_default=epoch)
        )
    with op.batch_alter_table("lots") as batch:
        batch.add_column(sa.Column("points", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("device_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("offline", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=epoch)
        )
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("server_time", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE sync_state SET cursor = NULL, epoch = NULL, snapshot_pending = 1,"
        " generation = generation + 1"
    )
