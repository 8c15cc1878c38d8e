"""ORM models of the ledger database.

Rows a kiosk mirrors carry ``change_seq``: a change number given after commit, in commit
order, which the sync cursor walks (see :mod:`ledger.storage.changes`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, class_mapper, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on SQLite (which stores naive text) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the ledger")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Points = BigInteger().with_variant(Integer(), "sqlite")

# A transfer's memo; an order's hold carries the item's English title, cut to this length.
MEMO_LENGTH = 200


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), int: Points}


def table_of(model: type[Base]) -> Table:
    """A model's table for Core statements, typed as the ``Table`` it is (SQLAlchemy types
    ``__table__`` as any ``FromClause``)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class Mirrored:
    """Mixin for rows that kiosks mirror; ``change_seq`` is NULL until the sequencer runs."""

    change_seq: Mapped[int | None] = mapped_column(index=True)


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeCounter(Base):
    __tablename__ = "change_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class Employee(Mirrored, Base):
    __tablename__ = "employees"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(2), default="zh")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # scrypt hash (sync/pin_hash.py); never leaves the ledger, which checks every PIN.
    pin_hash: Mapped[str | None] = mapped_column(String(200), default=None)


class Account(Base):
    """An account of the double-entry ledger; ``balance`` is kept for wallets only.

    System accounts (issuance, orders_held, …) are hot rows every order would touch, so their
    balances are summed from transfers instead of being locked and updated.
    """

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), unique=True)
    balance: Mapped[int] = mapped_column(default=0)
    __table_args__ = (CheckConstraint("balance >= 0", name="wallet_not_negative"),)


class Transfer(Mirrored, Base):
    """An immutable movement of points; the kiosk sees those touching a wallet as entries."""

    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_account: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    to_account: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    rule_kind: Mapped[str | None] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    event_id: Mapped[str | None] = mapped_column(String(128))
    adjustment_id: Mapped[str | None] = mapped_column(String(128))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    memo: Mapped[str | None] = mapped_column(String(MEMO_LENGTH))
    created_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("amount > 0", name="transfer_amount_positive"),
        CheckConstraint("from_account <> to_account", name="transfer_two_accounts"),
        # Reports and the console's dashboard sum one kind over a period; on PostgreSQL the
        # index carries what they add up, so they never read the table.
        Index(
            "ix_transfers_kind_created",
            "kind",
            "created_at",
            postgresql_include=["employee_id", "amount", "to_account"],
        ),
    )


class Lot(Mirrored, Base):
    """Points earned together that expire together."""

    __tablename__ = "lots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    earn_transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    points: Mapped[int]
    remaining: Mapped[int]
    expired: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("remaining >= 0", name="lot_remaining_not_negative"),
        Index("ix_lots_employee_expiry", "employee_id", "expires_at"),
        Index("ix_lots_open_expiry", "expires_at", "remaining"),
    )


class LotAllocation(Base):
    """Which lots paid for a spend (positive) and got a refund back (negative)."""

    __tablename__ = "lot_allocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    points: Mapped[int]


class Rule(Mirrored, Base):
    __tablename__ = "rules"
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    points: Mapped[int]
    validity_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    cap_per_period: Mapped[int | None]
    period: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime]


class Event(Base):
    """An HR event as received; ``event_id`` is the external idempotency key."""

    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    occurred_at: Mapped[datetime]
    points: Mapped[int]
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    received_at: Mapped[datetime]
    __table_args__ = (Index("ix_events_cap", "employee_id", "kind", "occurred_at"),)


class Item(Mirrored, Base):
    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16))
    points: Mapped[int]
    stock: Mapped[int | None]
    limit_per_employee: Mapped[int | None]
    limit_period: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    # How an approved order is handed over (ledger/domain/fulfilment.py): manual, code_pool
    # or external. Kept on the ledger only: no kiosk needs it (docs/SECURITY.md).
    fulfilment: Mapped[str] = mapped_column(String(16), default="manual", server_default="manual")
    # A code pool's stock at or below which HR is told (``code_pool.low``).
    pool_threshold: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # The external system's endpoint and signing secret (set by admins; the secret is never
    # shown again).
    external_url: Mapped[str | None] = mapped_column(String(500), default=None)
    external_secret: Mapped[str | None] = mapped_column(String(200), default=None)
    __table_args__ = (CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),)


class ItemImage(Base):
    __tablename__ = "item_images"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Order(Mirrored, Base):
    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    points: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    # True when the ledger refused the order at placement: nothing was held or stocked.
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    badge_serial: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(36))
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    request_hash: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (
        Index("ix_orders_limit", "employee_id", "item_id", "created_at"),
        Index("ix_orders_placed_at", "placed_at"),
    )


class Adjustment(Base):
    __tablename__ = "adjustments"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    created_at: Mapped[datetime]


class Badge(Mirrored, Base):
    __tablename__ = "badges"
    serial: Mapped[str] = mapped_column(String(32), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    uid: Mapped[str | None] = mapped_column(String(64), index=True)
    issued_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    # One live badge per RFID card, whatever the races between two issues (migration 0007).
    __table_args__ = (
        Index(
            "ux_badges_live_uid",
            "uid",
            unique=True,
            postgresql_where=text("uid IS NOT NULL AND revoked_at IS NULL"),
            sqlite_where=text("uid IS NOT NULL AND revoked_at IS NULL"),
        ),
    )


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    enrolled_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    version: Mapped[str | None] = mapped_column(String(40))
    outbox: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None]
    oldest_unsent_at: Mapped[datetime | None]
    # What the kiosk ordered in the current clock hour (UTC) and site day, against the
    # per-device caps; the placement updates them with each accepted order.
    hour_start: Mapped[datetime | None]
    hour_orders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hour_points: Mapped[int] = mapped_column(default=0, server_default="0")
    day_start: Mapped[datetime | None]
    day_orders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    day_points: Mapped[int] = mapped_column(default=0, server_default="0")
    capped_at: Mapped[datetime | None]  # the last order refused by a cap


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80), default="")
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class EnrollCode(Base):
    __tablename__ = "enroll_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ConsoleUser(Base):
    """A person who signs in to the HR web console (``/admin``)."""

    __tablename__ = "console_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    # Set when an admin resets the password: the user must choose their own at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class ConsoleSession(Base):
    """A signed-in browser: the cookie holds a random token, the row only its hash."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # The last request seen on this session: it also ends after a while without activity.
    last_seen_at: Mapped[datetime | None]


class FormToken(Base):
    """A console form that was sent: the hash of the once-only token it was drawn with, so a
    second post of it applies nothing (migration 0011). ``kept`` holds, for one read by the
    same user within minutes, a value the post made that is shown once (a new API token, an
    enrolment code); it is cleared when read. Rows older than a day are pruned."""

    __tablename__ = "console_form_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(80))
    used_at: Mapped[datetime] = mapped_column(index=True)
    kept: Mapped[str | None] = mapped_column(Text)


class HrAction(Base):
    """One thing a console user did: who, when, what, and the record before and after."""

    __tablename__ = "hr_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    # user, token, device, cli or system; user_name then names the user, token or device
    actor_kind: Mapped[str] = mapped_column(String(8), default="user", server_default="user")
    user_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class PinLock(Base):
    """Wrong PINs of one employee, counted across every kiosk, and the lockout they earned."""

    __tablename__ = "pin_locks"
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class PinToken(Base):
    """Proof that a worker typed their PIN at one kiosk just now: single use, minutes long.

    Only the token's SHA-256 is kept; the kiosk holds the token itself.
    """

    __tablename__ = "pin_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    device_id: Mapped[str] = mapped_column(String(36))
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class DomainEvent(Base):
    """One change announced, written with the change; readers keep a cursor over ``position``.

    ``position`` is given after commit, in commit order (like the sync feed's change numbers),
    so a reader that has seen position N never later finds an event below N.
    """

    __tablename__ = "domain_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    position: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(120))
    payload: Mapped[str] = mapped_column(Text)  # JSON


class WorkerMessage(Mirrored, Base):
    """One message of a worker's kiosk inbox, made from a domain event (``event_id``, so each
    event gives at most one message); ``read_at`` is set by the worker's "got it" at a kiosk."""

    __tablename__ = "worker_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int | None]
    order_id: Mapped[str | None] = mapped_column(String(36))
    rule_kind: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    read_device_id: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (Index("ix_worker_messages_employee", "employee_id", "read_at"),)


MIRRORED_MODELS: tuple[type[Mirrored], ...] = (
    Employee, Badge, Transfer, Lot, Item, Rule, Order, WorkerMessage,
)  # fmt: skip

# The sequencer finds unnumbered rows through these small partial indexes.
for _model in MIRRORED_MODELS:
    _table = class_mapper(_model).local_table
    assert isinstance(_table, Table)  # each is a plain table, not a join or a select
    Index(
        f"ix_{_table.name}_unnumbered",
        *_table.primary_key.columns,
        postgresql_where=_table.c.change_seq.is_(None),
        sqlite_where=_table.c.change_seq.is_(None),
    )
