"""The kiosk's local tables: a mirror of what it needs from the ledger, plus its own outbox.

Mirrored rows carry ``gen``, the snapshot generation that last wrote them: a full re-snapshot
writes a new generation and, once complete, drops rows of older ones (rows the ledger no
longer sends), while the old data stays readable until then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.order_states import KioskOrderStatus, OutboxState
from sync.engine import OutboxKind


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC datetimes (SQLite keeps no timezone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _stored_enum(enum: type[StrEnum], length: int) -> Enum:
    """A column of ``enum``'s values as plain text, read back as members; no CHECK, so the
    schema stays the one the migrations made."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}  # noqa: RUF012


class Device(Base):
    """This kiosk's enrolment: one row."""

    __tablename__ = "device"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(80))
    server_url: Mapped[str] = mapped_column(String(400))
    token: Mapped[str] = mapped_column(String(200))
    badge_public_key: Mapped[str] = mapped_column(String(100))
    enrolled_at: Mapped[datetime]


class SyncState(Base):
    """Where the mirror stands: one row."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(40))
    epoch: Mapped[str | None] = mapped_column(String(64))
    generation: Mapped[int] = mapped_column(default=1)
    snapshot_pending: Mapped[bool] = mapped_column(default=True)
    settings_json: Mapped[str | None] = mapped_column(Text)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]


class Employee(Base):
    __tablename__ = "employees"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool]
    balance: Mapped[int]
    held: Mapped[int]
    gen: Mapped[int]


class Badge(Base):
    __tablename__ = "badges"
    serial: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    uid: Mapped[str | None] = mapped_column(String(64), index=True)
    revoked: Mapped[bool]
    gen: Mapped[int]


class Entry(Base):
    __tablename__ = "entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    employee_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    rule_kind: Mapped[str | None] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(36))
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    gen: Mapped[int]
    __table_args__ = (Index("ix_entries_employee_time", "employee_id", "created_at", "id"),)


class Lot(Base):
    __tablename__ = "lots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    employee_id: Mapped[str] = mapped_column(String(32))
    remaining: Mapped[int]
    expires_at: Mapped[datetime]
    gen: Mapped[int]
    __table_args__ = (Index("ix_lots_employee_expiry", "employee_id", "expires_at"),)


class Item(Base):
    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    points: Mapped[int]
    stock: Mapped[int | None]
    limit_per_employee: Mapped[int | None]
    limit_period: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool]
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    gen: Mapped[int]


class Rule(Base):
    __tablename__ = "rules"
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    points: Mapped[int]
    validity_days: Mapped[int]
    active: Mapped[bool]
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    cap_per_period: Mapped[int | None]
    period: Mapped[str | None] = mapped_column(String(8))
    gen: Mapped[int]


class Order(Base):
    """Orders as the ledger last reported them, and this kiosk's own until it has.

    ``status`` is a ledger status, or ``queued`` for an order the ledger has not answered yet.
    """

    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    points: Mapped[int]
    status: Mapped[KioskOrderStatus] = mapped_column(_stored_enum(KioskOrderStatus, 12))
    reason: Mapped[str | None] = mapped_column(Text)
    placed_at: Mapped[datetime]
    created_at: Mapped[datetime | None]
    gen: Mapped[int]
    __table_args__ = (Index("ix_orders_employee_time", "employee_id", "placed_at"),)


class Outbox(Base):
    """What this kiosk must tell the ledger, oldest first.

    ``state``: ``queued`` (not answered yet), ``delivered`` (the ledger has it) or
    ``rejected`` (refused, with ``reason``). ``settled`` becomes true once a pull that began
    after delivery has finished, so mirrored balances include the order.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[OutboxKind] = mapped_column(_stored_enum(OutboxKind, 8))
    order_id: Mapped[str] = mapped_column(String(36), index=True)
    employee_id: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    points: Mapped[int]
    offline: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[OutboxState] = mapped_column(_stored_enum(OutboxState, 10), index=True)
    settled: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class Message(Base):
    """A worker's inbox message as the ledger last sent it (``read``: read at some kiosk)."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    employee_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int | None]
    order_id: Mapped[str | None] = mapped_column(String(36))
    rule_kind: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    read: Mapped[bool]
    gen: Mapped[int]
    __table_args__ = (Index("ix_messages_employee", "employee_id", "read"),)


class ReadMark(Base):
    """A message its worker read here, kept apart from the mirror so no pull or snapshot
    brings it back before the ledger has heard; written with its outbox row."""

    __tablename__ = "read_marks"
    message_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    outbox_id: Mapped[int] = mapped_column(Integer, index=True)


MIRRORED = (Employee, Badge, Entry, Lot, Item, Rule, Order, Message)
