"""The kiosk's API for the UI: log a worker in, then everything that worker can see and do.

``KioskService`` is the whole kiosk; ``WorkerSession`` is one worker's visit. Both are plain
Python over the local store, so they work the same with the network up or down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from kiosk import inbox, preferences, read_models, redemption
from kiosk import login as logins
from kiosk.clock import Clock, SystemClock
from kiosk.errors import OrderRefused, Refusal
from kiosk.order_codes import CodeFetcher, CodesAnswer, no_codes
from kiosk.order_states import CodesState, KioskOrderStatus
from kiosk.pin_check import PinChecker, PinPass, no_network
from kiosk.quote import Quote, check_quantity, quote_order, settings_of
from kiosk.store.database import Store
from kiosk.store.models import Device, Employee, Item, SyncState
from sync.protocol import Evidence, KioskSettings
from sync.status import StatusSnapshot, SyncStatus

RECENT_ENTRIES = 20


@dataclass(frozen=True)
class HomeView:
    identity: logins.Identity
    balance: read_models.BalanceView
    expiry: read_models.ExpirySummary
    next_expiry: read_models.ExpiryDay | None
    recent: tuple[read_models.HistoryEntry, ...]


@dataclass(frozen=True)
class ItemView:
    """An item's detail with the quote for the quantity shown."""

    card: read_models.CatalogueCard
    quote: Quote


@dataclass(frozen=True)
class CodesView:
    """The codes part of "My orders": its state and, when shown, the code of each fulfilled
    order that has one (order id → code)."""

    state: CodesState
    codes: Mapping[str, str]
    refusal: str  # the ledger's error code when refused
    stale: bool  # a fulfilled order the last answer did not cover: ask again


@dataclass(frozen=True)
class OrdersView:
    lines: tuple[read_models.OrderLine, ...]
    codes: CodesView


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    name: str
    server_url: str
    enrolled_at: datetime


class KioskService:
    """The kiosk core; thread-safe (the store serialises writes)."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        status: SyncStatus | None = None,
        on_order: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.status = status or SyncStatus()
        self.on_order = on_order  # wakes the sync thread
        # PINs are checked by the ledger; until enrolled there is nobody to ask.
        self.pin_checker: PinChecker = no_network
        # A worker's codes are asked of the ledger for their visit (kiosk/order_codes.py).
        self.code_fetcher: CodeFetcher = no_codes
        # Time since the last good sync survives a restart through the wall clock once, then
        # runs on the monotonic clock, which a clock change cannot move.
        with store.read() as session:
            last = session.get_one(SyncState, 1).last_success_at
        elapsed = None if last is None else (self.clock.now() - last).total_seconds()
        self._baseline = (
            None if elapsed is None or elapsed < 0 else self.clock.monotonic() - elapsed
        )

    # --- the kiosk as a whole ------------------------------------------------------------

    def request_sync(self) -> None:
        """Ask the sync thread for a pass now (the maintenance panel's "sync now")."""
        if self.on_order is not None:
            self.on_order()

    def connection(self) -> StatusSnapshot:
        return self.status.snapshot()

    def is_online(self) -> bool:
        return self.status.snapshot().state == "online"

    def seconds_since_sync(self) -> float | None:
        """Seconds since the last successful sync, or None if unknown (never, or the clock
        was set back while the kiosk was off)."""
        mark = self.status.snapshot().last_success_monotonic
        if mark is None:
            mark = self._baseline
        return None if mark is None else max(0.0, self.clock.monotonic() - mark)

    def settings(self) -> KioskSettings:
        with self.store.read() as session:
            return settings_of(session)

    def device(self) -> DeviceInfo | None:
        with self.store.read() as session:
            device = session.get(Device, 1)
            if device is None:
                return None
            return DeviceInfo(device.device_id, device.name, device.server_url, device.enrolled_at)

    def rules(self) -> tuple[read_models.RuleLine, ...]:
        with self.store.read() as session:
            return read_models.rules(session)

    def employee_by_number(self, number: str) -> str | None:
        """The employee whose id is ``number`` or has just those digits ("1001" → "E1001").

        The keypad has digits only; ``None`` unless exactly one employee matches.
        """
        if not number.isdigit() or len(number) > 32:
            return None
        with self.store.read() as session:
            if session.get(Employee, number) is not None:
                return number
            candidates = session.scalars(
                select(Employee.id).where(Employee.id.like(f"%{number}"))
            ).all()
        matches = [c for c in candidates if "".join(ch for ch in c if ch.isdigit()) == number]
        return matches[0] if len(matches) == 1 else None

    def login(self, scan_text: str) -> WorkerSession:
        """A badge or card scan; raises ``LoginError``."""
        return WorkerSession(self, logins.login(self.store, scan_text))

    def login_with_pin(self, employee_id: str, pin: str) -> WorkerSession:
        """Employee number and PIN; raises ``LoginError`` (with the lockout)."""
        return WorkerSession(
            self, logins.login_with_pin(self.store, employee_id, pin, self.pin_checker)
        )


class WorkerSession:
    """One worker's visit: what they see and the orders they place."""

    def __init__(self, service: KioskService, identity: logins.Identity) -> None:
        self.service = service
        self.identity = identity
        # The last codes answer and the fulfilled orders it was asked for: this visit's
        # memory only, gone with the session at log-out.
        self._codes: tuple[frozenset[str], CodesAnswer] | None = None

    @property
    def employee_id(self) -> str:
        return self.identity.employee_id

    def home(self) -> HomeView:
        """Everything the home screen shows, read in one transaction."""
        now = self.service.clock.now()
        with self.service.store.read() as session:
            timezone = settings_of(session).site_timezone
            return HomeView(
                identity=self.identity,
                balance=read_models.balance(session, self.employee_id),
                expiry=read_models.expiring(session, self.employee_id, now),
                next_expiry=read_models.next_expiry(session, self.employee_id, now, timezone),
                recent=read_models.history(
                    session, self.employee_id, page_size=RECENT_ENTRIES
                ).entries,
            )

    def expiry_schedule(self) -> tuple[read_models.ExpiryDay, ...]:
        """What expires when over the next twelve months, by day on the site's calendar."""
        with self.service.store.read() as session:
            timezone = settings_of(session).site_timezone
            return read_models.expiry_schedule(
                session, self.employee_id, self.service.clock.now(), timezone
            )

    def balance(self) -> read_models.BalanceView:
        with self.service.store.read() as session:
            return read_models.balance(session, self.employee_id)

    def expiring(self) -> read_models.ExpirySummary:
        with self.service.store.read() as session:
            return read_models.expiring(session, self.employee_id, self.service.clock.now())

    def history(
        self, kind: read_models.HistoryFilter = "all", page: int = 0, page_size: int = 20
    ) -> read_models.HistoryPage:
        with self.service.store.read() as session:
            return read_models.history(session, self.employee_id, kind, page, page_size)

    def catalogue(self, category: str | None = None) -> tuple[read_models.CatalogueCard, ...]:
        with self.service.store.read() as session:
            return read_models.catalogue(
                session, self.employee_id, self.service.store.images_dir, category
            )

    def orders(self) -> tuple[read_models.OrderLine, ...]:
        with self.service.store.read() as session:
            return read_models.orders(session, self.employee_id)

    def orders_view(self, asking: bool = False) -> OrdersView:
        """The orders with this visit's codes; ``asking``: a ``fetch_codes`` is under way (the
        codes already shown stay while it runs, anything else says it is loading)."""
        lines = self.orders()
        fulfilled = frozenset(
            line.order_id for line in lines if line.status is KioskOrderStatus.FULFILLED
        )
        known = self._codes
        if not fulfilled:
            codes = CodesView(CodesState.NONE, {}, "", stale=False)
        elif known is None or (asking and known[1].state is not CodesState.SHOWN):
            codes = CodesView(CodesState.LOADING, {}, "", stale=known is None)
        else:
            asked, answer = known
            shown = {k: v for k, v in answer.codes.items() if k in fulfilled}
            codes = CodesView(answer.state, shown, answer.refusal, stale=not fulfilled <= asked)
        return OrdersView(lines, codes)

    def quote(self, item_id: str, quantity: int = 1) -> Quote:
        """What ``quantity`` of an item would cost and whether the order can pass now."""
        service = self.service
        with service.store.read() as session:
            return quote_order(
                session,
                self.employee_id,
                item_id,
                quantity,
                now=service.clock.now(),
                online=service.is_online(),
                disabled=service.connection().state == "disabled",
                seconds_since_sync=service.seconds_since_sync(),
                pin_verified=self.identity.pin_verified,
                has_badge=self.identity.badge_evidence is not None,
            )

    def item_view(self, item_id: str, quantity: int = 1) -> ItemView:
        """An item's card and its quote; ``OrderRefused`` if it is no longer offered."""
        return ItemView(self.item(item_id), self.quote(item_id, quantity))

    def needs_pin(self, points: int) -> bool:
        """Whether an order of ``points`` needs the PIN first (and this visit has not had it)."""
        above = points > self.service.settings().pin_threshold
        return (above or self.identity.badge_evidence is None) and not self.identity.pin_verified

    def verify_pin(self, pin: str) -> None:
        """The second factor for a large order, checked by the ledger; raises ``LoginError``
        (wrong, locked, or no network)."""
        self.accept_pin(self.service.pin_checker(self.employee_id, pin))

    def accept_pin(self, passed: PinPass) -> None:
        """The ledger's pass for this worker's PIN (checked on another thread, for the UI)."""
        self.identity = replace(self.identity, pin_verified=True, pin_token=passed.token)

    def place_order(
        self, item_id: str, quantity: int = 1, pin: str | None = None
    ) -> redemption.PlacedOrder:
        """Place an order; raises ``OrderRefused`` (or ``LoginError`` for a wrong PIN)."""
        if self.identity.maintenance:
            raise OrderRefused(Refusal.EMPLOYEE_INACTIVE)  # a maintenance visit spends nothing
        if pin is not None and not self.identity.pin_verified:
            self.verify_pin(pin)
        check_quantity(quantity)
        service = self.service
        identity = self.identity
        # The PIN's token where the order needs the PIN (or there is no badge), else the badge.
        with service.store.read() as session:
            item = session.get(Item, item_id)
        threshold = service.settings().pin_threshold
        large = item is not None and item.points * quantity > threshold
        use_pin = identity.pin_token is not None and (large or identity.badge_evidence is None)
        evidence = (
            Evidence(kind="pin", value=identity.pin_token)
            if use_pin and identity.pin_token is not None
            else identity.badge_evidence
        )
        placed = redemption.place_order(
            service.store,
            self.employee_id,
            item_id,
            quantity,
            now=service.clock.now(),
            online=service.is_online(),
            seconds_since_sync=service.seconds_since_sync(),
            pin_verified=identity.pin_verified,
            badge_serial=identity.badge_serial,
            disabled=service.connection().state == "disabled",
            evidence=evidence,
            has_badge=identity.badge_evidence is not None,
        )
        if use_pin:  # a PIN token is good for one order
            self.identity = replace(identity, pin_verified=False, pin_token=None)
        if service.on_order is not None:
            service.on_order()
        return placed

    def order_codes(self) -> CodesAnswer:
        """This worker's code-pool codes (order id → code), asked of the ledger with the
        evidence of this visit (blocking: call it off the UI thread); kept in memory for the
        visit only (``orders_view`` shows them), none offline."""
        with self.service.store.read() as session:
            asked = frozenset(
                line.order_id
                for line in read_models.orders(session, self.employee_id)
                if line.status is KioskOrderStatus.FULFILLED
            )
        identity = self.identity
        shown = identity.badge_evidence
        if shown is None and identity.pin_token is not None:
            shown = Evidence(kind="pin", value=identity.pin_token)
        answer = self.service.code_fetcher(self.employee_id, shown)
        self._codes = (asked, answer)
        return answer

    def cancel_order(self, order_id: str) -> None:
        """Ask for a pending order to be cancelled; raises ``OrderRefused``."""
        redemption.cancel_order(
            self.service.store,
            self.employee_id,
            order_id,
            self.service.clock.now(),
            self.identity.badge_evidence,
        )
        if self.service.on_order is not None:
            self.service.on_order()

    def inbox(self) -> tuple[inbox.InboxMessage, ...]:
        """What happened since the worker's last visit: unread messages, newest first."""
        with self.service.store.read() as session:
            return inbox.unread(session, self.employee_id)

    def read_inbox(self, message_ids: Sequence[int]) -> None:
        """The worker's "got it": not shown again here at once, nor elsewhere once sent."""
        identity = self.identity
        evidence = identity.badge_evidence
        if evidence is None and identity.pin_token is not None:
            evidence = Evidence(kind="pin", value=identity.pin_token)
        inbox.mark_read(
            self.service.store, self.employee_id, message_ids, evidence, self.service.clock.now()
        )
        if self.service.on_order is not None:
            self.service.on_order()

    def remember_language(self, language: str) -> None:
        """Make ``language`` this worker's preference: their next visits start in it."""
        preferences.remember_language(
            self.service.store,
            self.employee_id,
            language,
            self.identity.badge_serial,
            self.service.clock.now(),
        )
        self.identity = replace(self.identity, language=language)
        if self.service.on_order is not None:
            self.service.on_order()

    def item(self, item_id: str) -> read_models.CatalogueCard:
        """One catalogue card (the detail screen)."""
        with self.service.store.read() as session:
            cards = read_models.catalogue(
                session, self.employee_id, self.service.store.images_dir, item_id=item_id
            )
            if cards:
                return cards[0]
            exists = session.get(Item, item_id) is not None
        raise OrderRefused(Refusal.ITEM_INACTIVE if exists else Refusal.UNKNOWN_ITEM)
