"""Per-device caps: what each kiosk ordered in the current hour and day

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

POINTS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("hour_start", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("hour_orders", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("hour_points", POINTS, nullable=False, server_default="0"))
        batch.add_column(sa.Column("day_start", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("day_orders", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("day_points", POINTS, nullable=False, server_default="0"))
        batch.add_column(sa.Column("capped_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for column in (
            "capped_at",
            "day_points",
            "day_orders",
            "day_start",
            "hour_points",
            "hour_orders",
            "hour_start",
        ):
            batch.drop_column(column)
