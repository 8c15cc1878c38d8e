"""Notifications to HR: channels (group robots, a generic webhook, a shared mailbox), each
console user's own preferences, and one row per message to send, until it is sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class NotificationStatus(StrEnum):
    QUEUED = "queued"  # waits for its recipient's hourly digest
    BUNDLED = "bundled"  # went out inside a digest (``bundle_id``)
    PENDING = "pending"  # to send at ``next_attempt_at``
    SENDING = "sending"  # claimed by a runner; set before the send, so a crash never resends
    SENT = "sent"
    FAILED = "failed"  # given up (or interrupted while sending); "send again" makes it pending


class NotifyChannel(Base):
    """A place messages go that is not a console user: a group robot, a webhook, a mailbox."""

    __tablename__ = "notify_channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))  # email, wecom, dingtalk, feishu, webhook
    name: Mapped[str] = mapped_column(String(80))
    # The robot's or webhook's URL (its access token included), or the mailbox's address.
    target: Mapped[str] = mapped_column(String(500))
    # DingTalk's and Feishu's signing secret, the webhook's HMAC key; never shown again.
    secret: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[str] = mapped_column(Text)  # comma-separated topics
    mode: Mapped[str] = mapped_column(String(8))  # new orders: instant or digest
    language: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))


class NotifyPreference(Base):
    """How a console user is told: the address, the language, the topics, at once or hourly."""

    __tablename__ = "notify_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    # The console keeps the reader's language in a cookie only; messages need it stored.
    language: Mapped[str] = mapped_column(String(2), default="zh")
    topics: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(8), default="instant")
    updated_at: Mapped[datetime]


class Notification(Base):
    """One message for one recipient, rendered in its language when it was made."""

    __tablename__ = "notifications"
    __table_args__ = (
        # One message per recipient, topic and cause (an event id, a day, a digest's first).
        UniqueConstraint("recipient", "topic", "cause", name="uq_notifications_cause"),
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(40))  # "user:<id>" or "channel:<id>"
    kind: Mapped[str] = mapped_column(String(12))  # how it goes: email or the channel's kind
    address: Mapped[str] = mapped_column(String(254), default="")  # a user's e-mail address
    topic: Mapped[str] = mapped_column(String(24))
    cause: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    # The retry window counts from here; "send again" starts a new one.
    first_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    bundle_id: Mapped[int | None] = mapped_column(Integer, default=None)
