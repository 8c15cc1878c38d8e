"""The workers' kiosk inbox: which domain events become a message, and read marks.

The inbox is one more reader of the events table (like webhook deliveries): a job reads the
events past its cursor and writes one ``worker_messages`` row per event a worker should hear
of, keyed by the event's id, in the same transaction as the cursor's move. A message carries
only what the kiosk's inbox screen shows; titles come from the rows kiosks already mirror
(the order's item, the rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.storage.models import WorkerMessage
from sync.protocol import MessageKind

NOTE_LENGTH = 200

# Event types (values of ``EventType``; ``order.reversed`` is read if it is ever announced)
# and the message each gives.
ORDER_MESSAGES = {
    "order.approved": MessageKind.APPROVED,
    "order.fulfilled": MessageKind.FULFILLED,
    "order.rejected": MessageKind.REJECTED,
    "order.reversed": MessageKind.REVERSED,
}
POINTS_MESSAGES = {
    "points.earned": MessageKind.EARNED,
    "points.adjusted": MessageKind.ADJUSTED,
    "points.expiring": MessageKind.EXPIRING,
}
# Read by the inbox writer; every other event type is passed over.
INBOX_EVENT_TYPES = (*ORDER_MESSAGES, *POINTS_MESSAGES)


@dataclass(frozen=True)
class MessageSpec:
    """A message to write: the worker and what their inbox shows."""

    employee_id: str
    kind: MessageKind
    points: int | None = None
    order_id: str | None = None
    rule_kind: str | None = None
    note: str | None = None
    expires_at: datetime | None = None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _note(value: Any) -> str | None:
    return str(value)[:NOTE_LENGTH] if value else None


def message_for(event_type: str, payload: dict[str, Any]) -> MessageSpec | None:
    """The message an event gives its worker, or ``None`` (not a worker's news)."""
    employee_id = payload.get("employee_id")
    if not isinstance(employee_id, str) or not employee_id:
        return None
    order_kind = ORDER_MESSAGES.get(event_type)
    if order_kind is not None:
        order_id = payload.get("order_id")
        return MessageSpec(
            employee_id,
            order_kind,
            points=_int(payload.get("points")),
            order_id=str(order_id) if order_id else None,
            note=_note(payload.get("reason"))
            if order_kind in (MessageKind.REJECTED, MessageKind.REVERSED)
            else None,
        )
    kind = POINTS_MESSAGES.get(event_type)
    if kind is None:
        return None
    return MessageSpec(
        employee_id,
        kind,
        points=_int(payload.get("points")),
        rule_kind=str(payload["rule_kind"]) if payload.get("rule_kind") else None,
        note=_note(payload.get("reason")) if kind is MessageKind.ADJUSTED else None,
        expires_at=_time(payload.get("expires_at")) if kind is MessageKind.EXPIRING else None,
    )


def write_message(session: Session, event_id: str, spec: MessageSpec, now: datetime) -> None:
    """Add the message of one event (the caller made sure the event has none yet)."""
    session.add(
        WorkerMessage(
            employee_id=spec.employee_id,
            event_id=event_id,
            kind=spec.kind.value,
            points=spec.points,
            order_id=spec.order_id,
            rule_kind=spec.rule_kind,
            note=spec.note,
            expires_at=spec.expires_at,
            created_at=now,
            read_at=None,
        )
    )


def mark_read(
    session: Session, employee_id: str, message_ids: Sequence[int], device_id: str, now: datetime
) -> list[int]:
    """Mark this worker's unread messages among ``message_ids`` read; returns those marked.

    Other workers' ids and messages already read are passed over: a read mark sent twice, or
    from two kiosks, changes nothing the second time.
    """
    rows = session.scalars(
        select(WorkerMessage)
        .where(
            WorkerMessage.id.in_(list(message_ids)),
            WorkerMessage.employee_id == employee_id,
            WorkerMessage.read_at.is_(None),
        )
        .order_by(WorkerMessage.id)
    ).all()
    for row in rows:
        row.read_at = now
        row.read_device_id = device_id
    return [row.id for row in rows]
