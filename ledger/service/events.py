"""Domain events: one row per change, written in the change's transaction, never rewritten.

Readers (notifications, webhooks, reports) keep their own cursor over ``position`` and read
with :func:`events_after`. Positions are given after commit by :func:`number_events`, one run
at a time, so they appear in increasing order; apart from that number nothing updates or
deletes an event.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from ledger.domain.orders import OrderAction
from ledger.service.actors import Actor
from ledger.storage.models import DomainEvent


class EventType(StrEnum):
    """The event catalogue (docs/API.md); values are stable, readers switch on them."""

    ORDER_PLACED = "order.placed"
    ORDER_APPROVED = "order.approved"
    ORDER_FULFILLED = "order.fulfilled"
    ORDER_REJECTED = "order.rejected"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REVERSED = "order.reversed"
    POINTS_EARNED = "points.earned"
    POINTS_ADJUSTED = "points.adjusted"
    POINTS_EXPIRED = "points.expired"
    POINTS_EXPIRING = "points.expiring"  # an expiry reminder: a lot within a threshold
    EMPLOYEE_CHANGED = "employee.changed"
    BADGE_ISSUED = "badge.issued"
    BADGE_REVOKED = "badge.revoked"
    ITEM_CHANGED = "item.changed"
    RULE_CHANGED = "rule.changed"
    SETTINGS_CHANGED = "settings.changed"
    DEVICE_ENROLLED = "device.enrolled"
    DEVICE_REVOKED = "device.revoked"
    # For HR's alerts: a webhook delivery given up, a code pool running low, an external
    # system that did not take an approved order.
    WEBHOOK_FAILED = "webhook.failed"
    CODE_POOL_LOW = "code_pool.low"
    FULFILMENT_FAILED = "fulfilment.failed"


# An order's transition names the event it announces.
ORDER_EVENTS = {
    OrderAction.APPROVE: EventType.ORDER_APPROVED,
    OrderAction.FULFIL: EventType.ORDER_FULFILLED,
    OrderAction.REJECT: EventType.ORDER_REJECTED,
    OrderAction.CANCEL: EventType.ORDER_CANCELLED,
    OrderAction.REVERSE: EventType.ORDER_REVERSED,
}


# One encoder for every payload: ``json.dumps`` with options builds a new one per call, and
# every order writes an event.
_PAYLOAD_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def payload_json(payload: dict[str, Any]) -> str:
    """An event's payload as stored: keys sorted, text as written, other values as text."""
    return _PAYLOAD_ENCODER.encode(payload)


def announce(
    session: Session,
    now: datetime,
    actor: Actor,
    type_: EventType,
    subject: str,
    payload: dict[str, Any],
) -> None:
    """Add one event to the caller's transaction: it commits, or vanishes, with the change."""
    session.add(
        DomainEvent(
            id=str(uuid.uuid4()),
            type=type_.value,
            occurred_at=now,
            subject=subject[:200],
            actor=actor.label[:120],
            payload=payload_json(payload),
        )
    )


# pg_advisory_xact_lock key for the event numbering ("PKEV").
NUMBERING_LOCK = 0x504B4556
BATCH = 5000


def number_events(session: Session) -> int:
    """Give committed unnumbered events their positions, in one transaction; returns how many.

    Events still locked by their writer's open transaction are invisible here and numbered
    by a later run; runs are serialised, so positions only ever grow.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBERING_LOCK})
    waiting = list(
        session.scalars(
            select(DomainEvent.seq)
            .where(DomainEvent.position.is_(None))
            .order_by(DomainEvent.seq)
            .limit(BATCH)
        )
    )
    if not waiting:
        return 0
    top = session.scalar(select(func.max(DomainEvent.position))) or 0
    session.execute(
        update(DomainEvent),
        [{"seq": seq, "position": top + 1 + offset} for offset, seq in enumerate(waiting)],
    )
    return len(waiting)


def has_unnumbered_events(session: Session) -> bool:
    return session.scalar(select(1).where(DomainEvent.position.is_(None)).limit(1)) is not None


@dataclass(frozen=True)
class PublishedEvent:
    position: int
    id: str
    type: str
    occurred_at: datetime
    subject: str
    actor: str
    payload: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "subject": self.subject,
            "actor": self.actor,
            "payload": self.payload,
        }


def events_after(
    session: Session, after: int = 0, limit: int = 500, types: list[str] | None = None
) -> list[PublishedEvent]:
    """Numbered events with ``position`` above ``after``, oldest first (a reader's next page)."""
    query = select(DomainEvent).where(DomainEvent.position > after)
    if types:
        query = query.where(DomainEvent.type.in_(types))
    rows = session.scalars(query.order_by(DomainEvent.position).limit(limit))
    return [
        PublishedEvent(
            r.position or 0, r.id, r.type, r.occurred_at, r.subject, r.actor, json.loads(r.payload)
        )
        for r in rows
    ]
