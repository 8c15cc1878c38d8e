"""The workers' inbox bookkeeping: where the inbox writer is in the events, and the expiry
reminders sent (the messages themselves are ``WorkerMessage``, a mirrored table)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class InboxCursor(Base):
    """One row: the position of the last domain event the inbox writer has read."""

    __tablename__ = "inbox_cursor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExpiryReminder(Base):
    """A lot reminded at one threshold (days before its expiry): the key makes it once."""

    __tablename__ = "expiry_reminders"
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    threshold_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[int]
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime]
    __table_args__ = (Index("ix_expiry_reminders_sent_at", "sent_at"),)
