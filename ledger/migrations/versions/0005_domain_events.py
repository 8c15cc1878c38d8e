"""domain events outbox; the action log names what kind of actor acted

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_domain_events_position", "domain_events", ["position"], unique=True)
    with op.batch_alter_table("hr_actions") as batch:
        batch.add_column(
            sa.Column("actor_kind", sa.String(length=8), nullable=False, server_default="user")
        )


def downgrade() -> None:
    with op.batch_alter_table("hr_actions") as batch:
        batch.drop_column("actor_kind")
    op.drop_index("ix_domain_events_position", table_name="domain_events")
    op.drop_table("domain_events")
