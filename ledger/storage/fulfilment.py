"""Fulfilment by kind of reward: code pools and calls to external systems."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class FulfilmentKind(StrEnum):
    """How an approved order is handed over."""

    MANUAL = "manual"  # at HR's counter: HR marks it fulfilled
    CODE_POOL = "code_pool"  # one code from the item's pool, assigned at approval
    EXTERNAL = "external"  # another system (leave, training) takes it; its 2xx fulfils it


class PoolCode(Base):
    """One code of an item's pool: encrypted; ``order_id`` once it is given to an order."""

    __tablename__ = "pool_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    # HMAC-SHA256 of the code under a key derived from the code key: uploads are
    # de-duplicated without keeping a hash that a dump could be checked against.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ciphertext: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(120))
    order_id: Mapped[str | None] = mapped_column(String(36), unique=True, default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    __table_args__ = (
        # Approvals pick the item's first free code through this index.
        Index(
            "ix_pool_codes_free",
            "item_id",
            "id",
            postgresql_where=text("order_id IS NULL"),
            sqlite_where=text("order_id IS NULL"),
        ),
    )


class CodePool(Base):
    """An item's pool as a whole: whether HR was told it ran low since it last had more.

    Its row is locked by every approval that takes a code, after the code itself, so the
    low-stock crossing is seen and announced once however many approvals run at once.
    """

    __tablename__ = "code_pools"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    low_announced: Mapped[bool] = mapped_column(Boolean, default=False)


class ExternalStatus(StrEnum):
    PENDING = "pending"  # to be sent (again)
    DONE = "done"  # the system answered 2xx; the order is fulfilled
    FAILED = "failed"  # retries used up; HR was told (``fulfilment.failed``)
    CLOSED = "closed"  # the order left ``approved`` another way (rejected, fulfilled by HR)


class ExternalFulfilment(Base):
    """An approved order of an external item, until the external system takes it."""

    __tablename__ = "external_fulfilments"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    status: Mapped[str] = mapped_column(String(12), default=ExternalStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    __table_args__ = (Index("ix_external_fulfilments_due", "status", "next_attempt_at"),)
