"""The ledger's service layer: one method per use case, each one transaction.

HTTP handlers and CLI commands call these; the domain functions below them never commit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic_core
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain import (
    access,
    adjustments,
    catalogue,
    expiry,
    orders,
    people,
    placement,
    rules,
    settings,
)
from ledger.domain.audit import AuditReport, run_audit
from ledger.domain.errors import NotFound
from ledger.domain.wallets import WALLET_KINDS, get_employee, held_by_employee, wallet_id
from ledger.feed import build_page, parse_cursor
from ledger.storage import changes
from ledger.storage.database import Database
from ledger.storage.models import Account, Device, Item, ItemImage, Lot, Order, Rule, Transfer
from ledger.storage.schema import get_meta
from ledger.views import entry_out, item_out, order_out, rule_out
from sync.protocol import ErrorCode, Heartbeat, KioskSettings, OrderOut, OrderRequest, SyncPage

AUTH_CACHE_SECONDS = 5.0
SETTINGS_CACHE_SECONDS = 5.0


# A kiosk heartbeats after every sync (every 30 s by default).
STALE_AFTER = timedelta(minutes=15)
BACKLOG_AFTER = timedelta(minutes=10)


def utc_now() -> datetime:
    return datetime.now(UTC)


class LedgerService:
    """Use cases over one database, with the server clock and (optionally) the badge key."""

    def __init__(
        self,
        db: Database,
        *,
        badge_key: Ed25519PrivateKey | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.badge_key = badge_key
        self.clock = clock
        # token digest -> (role, device id, valid until); a revocation made by another
        # process (the CLI) takes effect within AUTH_CACHE_SECONDS.
        self._auth_cache: dict[str, tuple[access.Role, str | None, float]] = {}
        self._timezone: tuple[str, float] = ("", 0.0)

    def _write(self, fn: Callable[[Session, datetime], Any]) -> Any:
        return self.db.run_write(lambda session: fn(session, self.clock()))

    # --- identity ------------------------------------------------------------------------

    def epoch(self) -> str:
        with self.db.read() as session:
            return get_meta(session, "epoch")

    def badge_public_key(self) -> str:
        with self.db.read() as session:
            return get_meta(session, "badge_public_key")

    # --- access --------------------------------------------------------------------------

    def cached_caller(self, token: str) -> tuple[access.Role, str | None] | None:
        """The caller's role and device if seen in the last few seconds, without I/O."""
        cached = self._auth_cache.get(access.digest(token))
        if cached is not None and cached[2] > time.monotonic():
            return cached[0], cached[1]
        return None

    def authenticate(self, token: str) -> tuple[access.Role, str | None]:
        """The caller's role and device; cached briefly, since every request asks."""
        if (cached := self.cached_caller(token)) is not None:
            return cached
        key = access.digest(token)
        with self.db.read() as session:
            row = access.authenticate(session, token)
            role, device_id = access.Role(row.role), row.device_id
        self._auth_cache[key] = (role, device_id, time.monotonic() + AUTH_CACHE_SECONDS)
        return role, device_id

    def create_token(self, role: access.Role, name: str = "") -> str:
        return self._write(lambda s, now: access.create_token(s, role, now, name=name))

    def create_enroll_code(self, ttl: timedelta = access.ENROLL_CODE_TTL) -> str:
        return self._write(lambda s, now: access.create_enroll_code(s, now, ttl))

    def enroll(self, code: str, name: str) -> tuple[str, str]:
        def run(session: Session, now: datetime) -> tuple[str, str]:
            device, token = access.enroll(session, code, name, now)
            return device.id, token

        return self._write(run)

    def heartbeat(self, device_id: str, beat: Heartbeat) -> None:
        self._write(lambda s, now: access.record_heartbeat(s, device_id, beat, now))

    def revoke_device(self, device_id: str) -> None:
        self._write(lambda s, now: access.revoke_device(s, device_id, now))
        self.forget_callers()

    def forget_callers(self) -> None:
        """Drop cached token checks (after a revocation in this process)."""
        self._auth_cache.clear()

    def devices(
        self, stale_after: timedelta = STALE_AFTER, backlog_after: timedelta = BACKLOG_AFTER
    ) -> list[dict[str, Any]]:
        """Every kiosk with its last heartbeat, flagged ``stale`` (silent longer than
        ``stale_after``) or ``backlog`` (an order unsent for longer than ``backlog_after``)."""
        now = self.clock()
        with self.db.read() as session:
            rows = session.scalars(select(Device).order_by(Device.name)).all()
            return [
                {
                    "device_id": d.id,
                    "name": d.name,
                    "enrolled_at": d.enrolled_at,
                    "revoked": d.revoked_at is not None,
                    "version": d.version,
                    "last_seen_at": d.last_seen_at,
                    "last_sync_at": d.last_sync_at,
                    "outbox": d.outbox,
                    "oldest_unsent_at": d.oldest_unsent_at,
                    "oldest_unsent_age_seconds": None
                    if d.oldest_unsent_at is None
                    else int((now - d.oldest_unsent_at).total_seconds()),
                    "stale": d.revoked_at is None
                    and (d.last_seen_at is None or now - d.last_seen_at > stale_after),
                    "backlog": d.outbox > 0
                    and d.oldest_unsent_at is not None
                    and now - d.oldest_unsent_at > backlog_after,
                }
                for d in rows
            ]

    # --- sync ----------------------------------------------------------------------------

    def number_changes(self) -> int:
        """Run the change sequencer if anything waits for a number; returns rows numbered."""
        with self.db.read() as session:
            if not changes.has_unnumbered(session):
                return 0
        total = 0
        while True:  # a run numbers at most BATCH rows a table
            numbered = self.db.run_write(changes.assign_change_numbers)
            total += numbered
            if numbered < changes.BATCH:
                return total

    def _page(self, cursor: str | None, limit: int) -> dict[str, Any]:
        position = parse_cursor(cursor)
        self.number_changes()
        with self.db.snapshot() as session:
            return build_page(session, position, limit, self.clock())

    def sync_page(self, cursor: str | None, limit: int) -> SyncPage:
        """One page of the sync feed after ``cursor``."""
        return SyncPage.model_validate(self._page(cursor, limit))

    def sync_page_json(self, cursor: str | None, limit: int) -> bytes:
        """The same page, serialised for the wire without building a model per row."""
        return pydantic_core.to_json(self._page(cursor, limit))

    def settings(self) -> KioskSettings:
        with self.db.read() as session:
            return settings.get_settings(session)

    def _cached_timezone(self) -> str | None:
        zone, until = self._timezone
        return zone if time.monotonic() < until else None

    def site_timezone(self) -> str:
        """The site timezone, cached briefly: every order with a limit needs it."""
        if zone := self._cached_timezone():
            return zone
        zone = self.settings().site_timezone
        self._timezone = (zone, time.monotonic() + SETTINGS_CACHE_SECONDS)
        return zone

    def update_settings(self, changes: dict[str, Any]) -> KioskSettings:
        result = self._write(lambda s, _now: settings.update_settings(s, changes))
        self._timezone = ("", 0.0)
        return result

    # --- orders --------------------------------------------------------------------------

    def place_order(self, request: OrderRequest, device_id: str | None) -> placement.Placement:
        """Place an order from a blocking caller (CLI, demo seed, tests)."""
        tz = self.site_timezone()
        if not self.db.is_sqlite:
            return self.db.run_statement(
                lambda conn: placement.place_order_in_postgres_blocking(
                    conn, request, self.clock(), device_id, tz
                )
            )
        return self._write(lambda s, now: placement.place_order(s, request, now, device_id, tz))

    async def place_order_async(
        self, request: OrderRequest, device_id: str | None
    ) -> placement.Placement:
        """Place an order from the event loop: on PostgreSQL one awaited statement."""
        if self.db.is_sqlite:
            return await asyncio.to_thread(self.place_order, request, device_id)
        tz = self._cached_timezone() or await asyncio.to_thread(self.site_timezone)
        return await self.db.run_statement_async(
            lambda conn: placement.place_order_in_postgres(
                conn, request, self.clock(), device_id, tz
            )
        )

    def transition(self, order_id: str, action: str, reason: str | None = None) -> OrderOut:
        return self._write(
            lambda s, now: order_out(orders.transition(s, order_id, action, now, reason))
        )

    def list_orders(self, status: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        with self.db.read() as session:
            query = select(Order).order_by(Order.created_at.desc()).limit(limit)
            if status:
                query = query.where(Order.status == status)
            return [order_out(o).model_dump(mode="json") for o in session.scalars(query)]

    # --- people --------------------------------------------------------------------------

    def put_employee(self, employee_id: str, spec: people.EmployeeSpec) -> None:
        self._write(lambda s, now: people.put_employee(s, employee_id, spec, now))

    def set_pin(self, employee_id: str, pin: str | None) -> None:
        self._write(lambda s, _now: people.set_pin(s, employee_id, pin))

    def employee(self, employee_id: str) -> dict[str, Any]:
        now = self.clock()
        with self.db.read() as session:
            employee = get_employee(session, employee_id)
            balance = session.get_one(Account, wallet_id(employee_id)).balance
            lots = session.scalars(
                select(Lot)
                .where(Lot.employee_id == employee_id, Lot.remaining > 0, Lot.expires_at > now)
                .order_by(Lot.expires_at, Lot.id)
            ).all()
            return {
                "id": employee.id,
                "name": employee.name,
                "department": employee.department,
                "language": employee.language,
                "active": employee.active,
                "has_pin": employee.pin_hash is not None,
                "balance": balance,
                "held": held_by_employee(session, [employee_id]).get(employee_id, 0),
                "expiring": [
                    {"lot_id": lot.id, "points": lot.remaining, "expires_at": lot.expires_at}
                    for lot in lots
                ],
            }

    def entries(self, employee_id: str, limit: int = 200) -> list[dict[str, Any]]:
        with self.db.read() as session:
            get_employee(session, employee_id)
            rows = session.scalars(
                select(Transfer)
                .where(Transfer.employee_id == employee_id, Transfer.kind.in_(WALLET_KINDS))
                .order_by(Transfer.id.desc())
                .limit(limit)
            )
            return [entry_out(t).model_dump(mode="json") for t in rows]

    def issue_badge(self, employee_id: str, kind: str, uid: str | None) -> tuple[str, str | None]:
        def run(session: Session, now: datetime) -> tuple[str, str | None]:
            badge, payload = people.issue_badge(
                session, employee_id, kind, now, self.badge_key, uid
            )
            return badge.serial, payload

        return self._write(run)

    def revoke_badge(self, serial: str) -> None:
        self._write(lambda s, now: people.revoke_badge(s, serial, now))

    # --- rules and events ----------------------------------------------------------------

    def rules(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(Rule).order_by(Rule.kind))
            return [rule_out(r).model_dump(mode="json") for r in rows]

    def put_rule(self, kind: str, spec: rules.RuleSpec) -> dict[str, Any]:
        return self._write(
            lambda s, now: rule_out(rules.put_rule(s, kind, spec, now)).model_dump(mode="json")
        )

    def ingest_events(self, events: list[rules.EventIn]) -> rules.EventOutcome:
        return self._write(lambda s, now: rules.ingest_events(s, events, now))

    def adjust(self, request: adjustments.AdjustmentIn) -> tuple[int, bool]:
        def run(session: Session, now: datetime) -> tuple[int, bool]:
            adjustment, created = adjustments.adjust(session, request, now)
            return adjustment.transfer_id, created

        return self._write(run)

    # --- catalogue -----------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(Item).order_by(Item.category, Item.points, Item.id))
            return [item_out(i).model_dump(mode="json") for i in rows]

    def put_item(self, item_id: str, spec: catalogue.ItemSpec) -> dict[str, Any]:
        return self._write(
            lambda s, now: item_out(catalogue.put_item(s, item_id, spec, now)).model_dump(
                mode="json"
            )
        )

    def put_image(self, item_id: str, data: bytes) -> str:
        return self._write(lambda s, now: catalogue.put_image(s, item_id, data, now).image_sha256)

    def image(self, item_id: str) -> tuple[str, bytes]:
        with self.db.read() as session:
            image = session.get(ItemImage, item_id)
            if image is None:
                raise NotFound(ErrorCode.NO_IMAGE, f"item {item_id} has no image")
            return image.content_type, image.data

    # --- expiry and audit ----------------------------------------------------------------

    def run_expiry(self) -> expiry.ExpiryResult:
        """Expire every due lot, one employee per transaction; safe to run any number of times."""
        points = lots = 0
        done: set[str] = set()
        while True:
            now = self.clock()
            with self.db.read() as session:
                due = [e for e in expiry.due_employees(session, now) if e not in done]
            if not due:
                return expiry.ExpiryResult(points, lots)
            for employee_id in due:
                result = self.db.run_write(
                    lambda s, e=employee_id, t=now: expiry.expire_employee(s, e, t)
                )
                points += result.expired_points
                lots += result.lots
                done.add(employee_id)

    def audit(self) -> AuditReport:
        with self.db.snapshot() as session:
            return run_audit(session)
