"""Fulfilment by kind of reward: items' kind, code pools, external fulfilments

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column("fulfilment", sa.String(16), nullable=False, server_default="manual")
        )
        batch.add_column(
            sa.Column("pool_threshold", sa.Integer(), nullable=False, server_default="5")
        )
        batch.add_column(sa.Column("external_url", sa.String(500), nullable=True))
        batch.add_column(sa.Column("external_secret", sa.String(200), nullable=True))
    op.create_table(
        "pool_codes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.String(64), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=True, unique=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_pool_codes_free",
        "pool_codes",
        ["item_id", "id"],
        postgresql_where=sa.text("order_id IS NULL"),
        sqlite_where=sa.text("order_id IS NULL"),
    )
    op.create_table(
        "code_pools",
        sa.Column("item_id", sa.String(64), sa.ForeignKey("items.id"), primary_key=True),
        sa.Column("low_announced", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "external_fulfilments",
        sa.Column("order_id", sa.String(36), sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("item_id", sa.String(64), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_external_fulfilments_due", "external_fulfilments", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("external_fulfilments")
    op.drop_table("code_pools")
    op.drop_table("pool_codes")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("external_secret")
        batch.drop_column("external_url")
        batch.drop_column("pool_threshold")
        batch.drop_column("fulfilment")
