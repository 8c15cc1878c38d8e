"""one live badge per RFID card: a partial unique index on badges.uid

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Revoked badges keep their uid (the history shows which card it was), so only live ones
# are unique; the use case's own check gives the friendly 409, this index holds under races.
_LIVE = sa.text("uid IS NOT NULL AND revoked_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ux_badges_live_uid",
        "badges",
        ["uid"],
        unique=True,
        postgresql_where=_LIVE,
        sqlite_where=_LIVE,
    )


def downgrade() -> None:
    op.drop_index("ux_badges_live_uid", table_name="badges")
