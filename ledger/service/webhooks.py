"""Use cases of webhooks: endpoints admins register, and the deliveries the job sends."""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.domain import webhooks
from ledger.domain.errors import LedgerError
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import BATCH as EVENT_BATCH
from ledger.service.events import (
    EventType,
    announce,
    events_after,
    has_unnumbered_events,
    number_events,
)
from ledger.storage.models import DomainEvent
from ledger.storage.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from sync.protocol import ErrorCode

EVENT_TYPES = tuple(t.value for t in EventType)
FAN_OUT_BATCH = 1000


@dataclass(frozen=True)
class Outgoing:
    """One delivery as the sender needs it: where, the key, the event."""

    delivery_id: int
    endpoint_id: int
    url: str
    secret: str
    event_id: str
    body: bytes


def endpoint_out(row: WebhookEndpoint, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """An endpoint as the API, the CLI and the console show it (never its secret)."""
    return {
        "id": row.id,
        "url": row.url,
        "events": row.event_types.split(","),
        "description": row.description,
        "active": row.active,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "deliveries": counts or {},
    }


def delivery_out(row: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "endpoint_id": row.endpoint_id,
        "event_id": row.event_id,
        "type": row.event_type,
        "subject": row.subject,
        "status": row.status,
        "attempts": row.attempts,
        "created_at": row.created_at.isoformat(),
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "first_attempt_at": row.first_attempt_at.isoformat() if row.first_attempt_at else None,
        "last_attempt_at": row.last_attempt_at.isoformat() if row.last_attempt_at else None,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
    }


class WebhookCases(ServiceBase):
    # Seeded per service, so tests may replace it; the jitter need not be unpredictable.
    webhook_jitter: Callable[[], float] = random.random

    def add_webhook(
        self, url: str, events: list[str], secret: str | None = None, description: str = ""
    ) -> tuple[dict[str, Any], str]:
        """Register an endpoint for ``events``; returns it and its secret (shown this once).

        It receives the events announced from now on, not the history.
        """
        url = webhooks.check_url(url)
        types = webhooks.check_types(events, EVENT_TYPES)
        key = secret.strip() if secret else webhooks.new_secret()
        if not 16 <= len(key) <= 200:
            raise LedgerError(ErrorCode.INVALID_REQUEST, "secret: 16 to 200 characters", status=422)

        self._number_events()  # events already committed get positions below the cursor

        made: dict[str, Any] = {}

        # The use case answers the secret, so a console form can keep it to show once.
        def run(work: Work) -> str:
            top = work.session.scalar(select(func.max(DomainEvent.position))) or 0
            row = WebhookEndpoint(
                url=url, event_types=",".join(types), secret=key,
                description=description.strip()[:200], active=True, created_at=work.now,
                created_by=work.actor.label[:120], cursor=top,
            )  # fmt: skip
            work.session.add(row)
            work.session.flush()
            made.update(endpoint_out(row))
            work.log("webhook.add", f"webhook:{row.id}", after=made)
            return key

        return made, self._run(run)

    def set_webhook_active(self, endpoint_id: int, active: bool) -> dict[str, Any]:
        def run(work: Work) -> dict[str, Any]:
            row = _endpoint(work.session, endpoint_id)
            before = endpoint_out(row)
            row.active = active
            after = endpoint_out(row)
            work.log("webhook.enable" if active else "webhook.disable", f"webhook:{row.id}",
                     before=before, after=after)  # fmt: skip
            return after

        return self._run(run)

    def resend_delivery(self, delivery_id: int) -> dict[str, Any]:
        """Send a failed delivery again: pending now, with a fresh 24-hour window."""

        def run(work: Work) -> dict[str, Any]:
            row = work.session.get(WebhookDelivery, delivery_id)
            if row is None:
                raise LedgerError(ErrorCode.NOT_FOUND, "no such delivery", status=404)
            if row.status != DeliveryStatus.FAILED.value:
                raise LedgerError(
                    ErrorCode.INVALID_REQUEST, "only a failed delivery is sent again", status=409
                )
            before = delivery_out(row)
            row.status = DeliveryStatus.PENDING.value
            row.next_attempt_at = work.now
            row.first_attempt_at = None  # a fresh 24-hour window
            work.log("webhook.resend", f"webhook:{row.endpoint_id}", before=before,
                     after=delivery_out(row))  # fmt: skip
            return delivery_out(row)

        return self._run(run)

    def list_webhooks(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            counts: dict[int, dict[str, int]] = {}
            for endpoint_id, status, n in session.execute(
                select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count())
                .group_by(WebhookDelivery.endpoint_id, WebhookDelivery.status)
            ):  # fmt: skip
                counts.setdefault(endpoint_id, {})[status] = n
            rows = session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id))
            return [endpoint_out(r, counts.get(r.id, {})) for r in rows]

    def list_deliveries(
        self, endpoint_id: int | None = None, status: str | None = None, limit: int = 100,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
        """Deliveries, newest event first, with their total."""
        query = select(WebhookDelivery)
        if endpoint_id is not None:
            query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
        if status:
            query = query.where(WebhookDelivery.status == status)
        with self.db.read() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(WebhookDelivery.position.desc(), WebhookDelivery.id.desc())
                .limit(limit).offset(offset)
            )  # fmt: skip
            return total, [delivery_out(r) for r in rows]

    # --- what the delivery job calls: bookkeeping, not HR actions, so no log line -----------

    def fan_out_webhooks(self) -> int:
        """Deliveries for every event past each active endpoint's cursor; how many made."""
        self._number_events()
        with self.db.read() as session:
            endpoints = list(
                session.scalars(select(WebhookEndpoint.id).where(WebhookEndpoint.active))
            )
        made = 0
        for endpoint_id in endpoints:
            while True:
                count, more = self.db.run_write(
                    functools.partial(_fan_out_one, endpoint_id=endpoint_id, now=self.clock())
                )
                made += count
                if not more:
                    break
        return made

    def _number_events(self) -> None:
        with self.db.read() as session:
            waiting = has_unnumbered_events(session)
        if waiting:
            while self.db.run_write(number_events) >= EVENT_BATCH:
                pass

    def sendable_deliveries(self, limit: int = 500) -> list[Outgoing]:
        now = self.clock()
        with self.db.read() as session:
            ready = webhooks.sendable(session, now, limit)
            if not ready:
                return []
            ids = {d.event_id for d in ready}
            events = {
                e.id: e for e in session.scalars(select(DomainEvent).where(DomainEvent.id.in_(ids)))
            }
            endpoints = {
                e.id: e
                for e in session.scalars(
                    select(WebhookEndpoint).where(
                        WebhookEndpoint.id.in_({d.endpoint_id for d in ready})
                    )
                )
            }
            out = []
            for delivery in ready:
                event = events[delivery.event_id]
                endpoint = endpoints[delivery.endpoint_id]
                body = webhooks.envelope(
                    event.id, event.type, event.occurred_at, json.loads(event.payload)
                )
                out.append(
                    Outgoing(
                        delivery.id, endpoint.id, endpoint.url, endpoint.secret, event.id, body
                    )
                )
            return out

    def record_webhook_attempts(
        self, outcomes: list[tuple[int, int | None, str]], at: datetime | None = None
    ) -> None:
        """Note attempts' outcomes — (delivery id, HTTP status or None, error) — at once."""
        when = at or self.clock()

        def run(session: Session) -> None:
            for delivery_id, status, error in outcomes:
                row = session.get(WebhookDelivery, delivery_id)
                if row is None or row.status != DeliveryStatus.PENDING.value:
                    continue
                webhooks.record_attempt(row, when, status, error, self.webhook_jitter)
                if row.status == DeliveryStatus.FAILED.value:
                    endpoint = session.get(WebhookEndpoint, row.endpoint_id)
                    announce(
                        session, when, Actor.system("webhooks"), EventType.WEBHOOK_FAILED,
                        f"webhook:{row.endpoint_id}",
                        {"endpoint_id": row.endpoint_id, "url": endpoint.url if endpoint else "",
                         "delivery_id": row.id, "event_id": row.event_id,
                         "type": row.event_type, "attempts": row.attempts,
                         "error": row.last_error},
                    )  # fmt: skip

        if outcomes:
            self.db.run_write(run)


def _endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    row = session.get(WebhookEndpoint, endpoint_id)
    if row is None:
        raise LedgerError(ErrorCode.NOT_FOUND, "no such webhook endpoint", status=404)
    return row


def _fan_out_one(session: Session, endpoint_id: int, now: datetime) -> tuple[int, bool]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # two runners never fan out one endpoint at once
    endpoint = session.scalar(query)
    if endpoint is None or not endpoint.active:
        return 0, False
    found = events_after(session, endpoint.cursor, FAN_OUT_BATCH)
    events = [webhooks.EventToSend(e.position, e.id, e.type, e.subject) for e in found]
    return webhooks.fan_out(session, endpoint, events, now), len(found) == FAN_OUT_BATCH
