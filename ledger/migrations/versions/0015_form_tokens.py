"""Console forms sent once: the hashes of their once-only tokens, and a value shown once

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_form_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=80), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kept", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_console_form_tokens_used_at", "console_form_tokens", ["used_at"])


def downgrade() -> None:
    op.drop_index("ix_console_form_tokens_used_at", table_name="console_form_tokens")
    op.drop_table("console_form_tokens")
