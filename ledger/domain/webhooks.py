"""Webhooks out: the signed envelope, the retry schedule, and which deliveries may go now.

A delivery is one event for one endpoint. It is sent until the endpoint answers 2xx, with
exponential backoff and jitter for 24 hours, then kept as failed. Deliveries of one subject
(an order, an employee) go to an endpoint in the order of their events: a later one waits
while an earlier one is pending.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import LedgerError
from ledger.storage.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from sync.protocol import ErrorCode

SIGNATURE_HEADER = "X-Points-Signature"
EVENT_ID_HEADER = "X-Points-Event-Id"
RETRY_WINDOW = timedelta(hours=24)
FIRST_DELAY = timedelta(seconds=10)
LONGEST_DELAY = timedelta(hours=1)
# A receiver should refuse signatures older than this (replays of a captured request).
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_URL = 500
ERROR_LENGTH = 300


def new_secret() -> str:
    """A signing secret for an endpoint: 32 random bytes, URL-safe text."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    now: int,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver checks: the signature matches and is at most ``tolerance`` s old."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def envelope(event_id: str, type_: str, created_at: datetime, data: dict[str, Any]) -> bytes:
    """The body of a delivery: ``{"id", "type", "created_at", "data"}`` as UTF-8 JSON."""
    body = {"id": event_id, "type": type_, "created_at": created_at.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def retry_delay(attempts: int, jitter: Callable[[], float]) -> timedelta:
    """The wait after the ``attempts``-th failure: 10 s doubling to an hour, times 0.5–1.5."""
    seconds = min(FIRST_DELAY.total_seconds() * 2 ** min(attempts - 1, 20),
                  LONGEST_DELAY.total_seconds())  # fmt: skip
    return timedelta(seconds=seconds * (0.5 + jitter()))


def check_url(url: str) -> str:
    """The endpoint's URL, if it is an absolute http(s) URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL:
        raise LedgerError(
            ErrorCode.INVALID_REQUEST, "url: an http:// or https:// address", status=422
        )
    return url


def check_types(types: Iterable[str], known: Sequence[str]) -> list[str]:
    """The event types asked for, each from the catalogue, at least one, without repeats."""
    chosen = sorted({t.strip() for t in types if t.strip()})
    unknown = [t for t in chosen if t not in known]
    if unknown or not chosen:
        raise LedgerError(
            ErrorCode.INVALID_REQUEST,
            "events: one or more of " + ", ".join(known)
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            status=422,
        )  # fmt: skip
    return chosen


@dataclass(frozen=True)
class EventToSend:
    position: int
    id: str
    type: str
    subject: str


def fan_out(
    session: Session, endpoint: WebhookEndpoint, events: Sequence[EventToSend], now: datetime
) -> int:
    """A pending delivery per event of the endpoint's types; the cursor moves past them all."""
    wanted = set(endpoint.event_types.split(","))
    made = 0
    for event in events:
        if event.type in wanted:
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id,
                    event_id=event.id,
                    position=event.position,
                    event_type=event.type,
                    subject=event.subject,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
            made += 1
    if events:
        endpoint.cursor = max(endpoint.cursor, events[-1].position)
    return made


def sendable(session: Session, now: datetime, limit: int = 500) -> list[WebhookDelivery]:
    """Pending deliveries that may go now, oldest event first: due, to an active endpoint,
    and the first pending one of their subject at that endpoint."""
    pending = session.scalars(
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookEndpoint.active.is_(True),
        )
        .order_by(WebhookDelivery.position)
        .limit(limit * 4)
    )
    first: set[tuple[int, str]] = set()
    ready = []
    for delivery in pending:
        key = (delivery.endpoint_id, delivery.subject)
        if key in first:
            continue  # an earlier event of this subject is still on its way
        first.add(key)
        if delivery.next_attempt_at <= now:
            ready.append(delivery)
            if len(ready) >= limit:
                break
    return ready


def record_attempt(
    delivery: WebhookDelivery,
    now: datetime,
    status: int | None,
    error: str,
    jitter: Callable[[], float],
) -> None:
    """Note one attempt: delivered on a 2xx; else retried later, or failed past the window."""
    delivery.attempts += 1
    delivery.last_attempt_at = now
    if delivery.first_attempt_at is None:
        delivery.first_attempt_at = now
    delivery.last_status = status
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED.value
        delivery.delivered_at = now
        delivery.last_error = ""
        return
    delivery.last_error = (error or f"HTTP {status}")[:ERROR_LENGTH]
    retry_at = now + retry_delay(delivery.attempts, jitter)
    if retry_at - delivery.first_attempt_at > RETRY_WINDOW:
        delivery.status = DeliveryStatus.FAILED.value
    else:
        delivery.next_attempt_at = retry_at
