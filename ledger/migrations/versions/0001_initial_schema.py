"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.Column("outbox", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("oldest_unsent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "employees",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employees_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            "ix_employees_unnumbered",
            ["id"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("stock", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "limit_per_employee",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("limit_period", sa.String(length=8), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("image_sha256", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_items_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            "ix_items_unnumbered",
            ["id"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "rules",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column(
            "cap_per_period", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("period", sa.String(length=8), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.PrimaryKeyConstraint("kind"),
    )
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rules_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            "ix_rules_unnumbered",
            ["kind"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=48), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=True),
        sa.Column("balance", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.CheckConstraint("balance >= 0", name="wallet_not_negative"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "badges",
        sa.Column("serial", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.PrimaryKeyConstraint("serial"),
    )
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_badges_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_badges_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_badges_uid"), ["uid"], unique=False)
        batch_op.create_index(
            "ix_badges_unnumbered",
            ["serial"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "enroll_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
        ),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_table(
        "item_images",
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
        ),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("badge_serial", sa.String(length=64), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            "ix_orders_limit", ["employee_id", "item_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_orders_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_orders_unnumbered",
            ["id"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_account", sa.String(length=48), nullable=False),
        sa.Column("to_account", sa.String(length=48), nullable=False),
        sa.Column("amount", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=True),
        sa.Column("rule_kind", sa.String(length=64), nullable=True),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("event_id", sa.String(length=128), nullable=True),
        sa.Column("adjustment_id", sa.String(length=128), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint("amount > 0", name="transfer_amount_positive"),
        sa.CheckConstraint("from_account <> to_account", name="transfer_two_accounts"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_account"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["transfers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_account"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            "ix_transfers_unnumbered",
            ["id"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.id"],
        ),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_cap", ["employee_id", "kind", "occurred_at"], unique=False)

    op.create_table(
        "lots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=32), nullable=False),
        sa.Column("earn_transfer_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "remaining", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("expired", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "change_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint("remaining >= 0", name="lot_remaining_not_negative"),
        sa.ForeignKeyConstraint(
            ["earn_transfer_id"],
            ["transfers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lots_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            "ix_lots_employee_expiry", ["employee_id", "expires_at"], unique=False
        )
        batch_op.create_index("ix_lots_open_expiry", ["expires_at", "remaining"], unique=False)
        batch_op.create_index(
            "ix_lots_unnumbered",
            ["id"],
            unique=False,
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )

    op.create_table(
        "lot_allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("points", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["lots.id"],
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lot_allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lot_allocations_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lot_allocations_order_id"), ["order_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("lot_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lot_allocations_order_id"))
        batch_op.drop_index(batch_op.f("ix_lot_allocations_lot_id"))

    op.drop_table("lot_allocations")
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_lots_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index("ix_lots_open_expiry")
        batch_op.drop_index("ix_lots_employee_expiry")
        batch_op.drop_index(batch_op.f("ix_lots_change_seq"))

    op.drop_table("lots")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_cap")

    op.drop_table("events")
    op.drop_table("adjustments")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_transfers_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_transfers_order_id"))
        batch_op.drop_index(batch_op.f("ix_transfers_employee_id"))
        batch_op.drop_index(batch_op.f("ix_transfers_change_seq"))

    op.drop_table("transfers")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_orders_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_orders_status"))
        batch_op.drop_index("ix_orders_limit")
        batch_op.drop_index(batch_op.f("ix_orders_change_seq"))

    op.drop_table("orders")
    op.drop_table("item_images")
    op.drop_table("enroll_codes")
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_badges_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_badges_uid"))
        batch_op.drop_index(batch_op.f("ix_badges_employee_id"))
        batch_op.drop_index(batch_op.f("ix_badges_change_seq"))

    op.drop_table("badges")
    op.drop_table("api_tokens")
    op.drop_table("accounts")
    op.drop_table("settings")
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_rules_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_rules_change_seq"))

    op.drop_table("rules")
    op.drop_table("meta")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_items_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_items_change_seq"))

    op.drop_table("items")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_employees_unnumbered",
            postgresql_where=sa.text("change_seq IS NULL"),
            sqlite_where=sa.text("change_seq IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_employees_change_seq"))

    op.drop_table("employees")
    op.drop_table("devices")
    op.drop_table("change_counter")
