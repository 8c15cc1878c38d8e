"""A Hypothesis state machine of the ledger against a small reference model, on both databases.

Steps: earn, order, approve, fulfil, reject, cancel, reverse (of a fulfilled order), expire
(with time passing), adjust.
After every step: the audit is clean, no wallet is negative, and each wallet, hold and order
status equals what the reference model says. Items have per-employee limits per calendar
month or quarter in the site's timezone; the model counts them its own way.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy.engine import make_url

from ledger import keys
from ledger.domain.adjustments import AdjustmentIn
from ledger.domain.errors import LedgerError
from ledger.service import LedgerService
from ledger.storage.database import Database
from ledger.storage.schema import init_database
from sync.protocol import ErrorCode, KioskSettings
from tests.conftest import PG_URL, FakeClock, PgServer
from tests.ledger import factory

EMPLOYEES = ("E1", "E2")
# points, stock, per-employee limit (quantity, period)
ITEMS: dict[str, tuple[int, int | None, tuple[int, str]]] = {
    "mug": (100, None, (4, "month")),
    "cake": (250, 3, (2, "quarter")),
}
SITE_TIMEZONE = ZoneInfo(KioskSettings().site_timezone)

_template_dir = Path(tempfile.mkdtemp(prefix="pk-sm-"))
_templates: dict[str, str] = {}
_pg: PgServer | None = None


def _seed(service: LedgerService) -> None:
    for e in EMPLOYEES:
        factory.employee(service, e)
    factory.rule(service, "training.completed", points=100, validity_days=30)
    for item_id, (points, stock, (count, period)) in ITEMS.items():
        factory.item(
            service,
            item_id,
            points=points,
            stock=stock,
            limit_per_employee=count,
            limit_period=period,
        )


def _pg_server() -> PgServer:
    global _pg
    if _pg is None:
        _pg = PgServer(PG_URL or "")
        atexit.register(_pg.close)
    return _pg


def fresh_service(clock: FakeClock, backend: str) -> tuple[LedgerService, Callable[[], None]]:
    """A seeded ledger copied from a per-run template, and how to throw it away."""
    key = keys.create_or_load(_template_dir / "key.pem")
    if backend not in _templates:
        if backend == "sqlite":
            url = f"sqlite:///{_template_dir / 'template.db'}"
        else:
            url = _pg_server().new_database()
        db = Database(url)
        init_database(db, keys.public_text(key))
        _seed(LedgerService(db, badge_key=key, clock=clock))
        db.dispose()
        _templates[backend] = url
    if backend == "sqlite":
        work = Path(tempfile.mkdtemp(prefix="pk-sm-run-"))
        shutil.copy(_template_dir / "template.db", work / "ledger.db")
        url = f"sqlite:///{work / 'ledger.db'}"

        def discard() -> None:
            shutil.rmtree(work, ignore_errors=True)
    else:
        server = _pg_server()
        template = make_url(_templates[backend]).database
        url = server._create(f"pk_sm_{uuid.uuid4().hex[:12]}", template)

        def discard() -> None:
            server.drop(url)

    return LedgerService(Database(url), badge_key=key, clock=clock), discard


@dataclass
class ModelLot:
    remaining: int
    expires_at: datetime
    seq: int


@dataclass
class ModelOrder:
    employee: str
    item: str
    quantity: int
    points: int
    status: str
    created_at: datetime
    takes: list[tuple[ModelLot, int]] = field(default_factory=list)


class LedgerMachine(RuleBasedStateMachine):
    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.service, self.discard = fresh_service(self.clock, self.backend)
        self.lots: dict[str, list[ModelLot]] = {e: [] for e in EMPLOYEES}
        self.stock = {k: v[1] for k, v in ITEMS.items()}
        self.orders: dict[str, ModelOrder] = {}
        self.seq = 0
        self.order_count = 0

    def teardown(self) -> None:
        self.service.db.dispose()
        self.discard()

    # --- model helpers -------------------------------------------------------------------

    def _add_lot(self, employee: str, points: int, days: int) -> None:
        self.seq += 1
        self.lots[employee].append(
            ModelLot(points, self.clock.now + timedelta(days=days), self.seq)
        )

    def _spendable(self, employee: str) -> list[ModelLot]:
        live = [lot for lot in self.lots[employee] if lot.expires_at > self.clock.now]
        return sorted(live, key=lambda lot: (lot.expires_at, lot.seq))

    def _take(self, employee: str, amount: int) -> list[tuple[ModelLot, int]] | None:
        if sum(lot.remaining for lot in self._spendable(employee)) < amount:
            return None
        takes = []
        for lot in self._spendable(employee):
            take = min(lot.remaining, amount)
            if take:
                lot.remaining -= take
                takes.append((lot, take))
                amount -= take
        return takes

    def _refund(self, order: ModelOrder) -> None:
        for lot, points in order.takes:
            if lot.expires_at > self.clock.now:
                lot.remaining += points
        stock = self.stock[order.item]
        if stock is not None:
            self.stock[order.item] = stock + order.quantity

    def _period(self, moment: datetime, period: str) -> tuple[int, int]:
        local = moment.astimezone(SITE_TIMEZONE)
        return (local.year, local.month if period == "month" else (local.month - 1) // 3)

    def _over_limit(self, employee: str, item: str, quantity: int) -> bool:
        count, period = ITEMS[item][2]
        now = self._period(self.clock.now, period)
        used = sum(
            o.quantity
            for o in self.orders.values()
            if (o.employee, o.item) == (employee, item)
            and o.status in ("pending", "approved", "fulfilled")
            and self._period(o.created_at, period) == now
        )
        return used + quantity > count

    def _open(self, *statuses: str) -> list[str]:
        return sorted(k for k, o in self.orders.items() if o.status in statuses)

    # --- steps ---------------------------------------------------------------------------

    @rule(employee=st.sampled_from(EMPLOYEES))
    def earn(self, employee: str) -> None:
        event = factory.event(uuid.uuid4().hex, employee, self.clock.now, "training.completed")
        assert self.service.ingest_events([event]).accepted == 1
        self._add_lot(employee, 100, 30)

    @rule(
        employee=st.sampled_from(EMPLOYEES),
        points=st.integers(1, 400),
        days=st.integers(1, 90),
    )
    def adjust_up(self, employee: str, points: int, days: int) -> None:
        body = AdjustmentIn(
            adjustment_id=uuid.uuid4().hex,
            employee_id=employee,
            points=points,
            reason="bonus",
            validity_days=days,
        )
        self.service.adjust(body)
        self._add_lot(employee, points, days)

    @rule(employee=st.sampled_from(EMPLOYEES), points=st.integers(1, 400))
    def adjust_down(self, employee: str, points: int) -> None:
        body = AdjustmentIn(
            adjustment_id=uuid.uuid4().hex, employee_id=employee, points=-points, reason="fix"
        )
        takes = self._take(employee, points)
        if takes is None:
            with pytest.raises(LedgerError) as err:
                self.service.adjust(body)
            assert err.value.code is ErrorCode.INSUFFICIENT_POINTS
        else:
            self.service.adjust(body)

    @rule(
        employee=st.sampled_from(EMPLOYEES),
        item=st.sampled_from(sorted(ITEMS)),
        quantity=st.integers(1, 3),
    )
    def order(self, employee: str, item: str, quantity: int) -> None:
        cost = ITEMS[item][0] * quantity
        # Ids in creation order: random ones would reorder the orders that later steps draw
        # from, and Hypothesis needs a replayed example to take the same path.
        self.order_count += 1
        order_id = uuid.UUID(int=self.order_count)
        request = factory.order_request(employee, item, cost, quantity, order_id=order_id)
        placement = self.service.place_order(request, None)
        stock = self.stock[item]
        if stock is not None and stock < quantity:
            assert placement.refusal is ErrorCode.OUT_OF_STOCK
            return
        if self._over_limit(employee, item, quantity):
            assert placement.refusal is ErrorCode.LIMIT_REACHED
            return
        takes = self._take(employee, cost)
        if takes is None:
            assert placement.refusal is ErrorCode.INSUFFICIENT_POINTS
            return
        assert placement.refusal is None
        if stock is not None:
            self.stock[item] = stock - quantity
        self.orders[placement.order.order_id] = ModelOrder(
            employee, item, quantity, cost, "pending", self.clock.now, takes
        )

    @precondition(lambda self: self._open("pending"))
    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(self._open("pending")))
        self.service.transition(order_id, "approve")
        self.orders[order_id].status = "approved"

    @precondition(lambda self: self._open("approved"))
    @rule(data=st.data())
    def fulfil(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(self._open("approved")))
        self.service.transition(order_id, "fulfil")
        self.orders[order_id].status = "fulfilled"

    @precondition(lambda self: self._open("pending", "approved"))
    @rule(data=st.data())
    def reject(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(self._open("pending", "approved")))
        self.service.transition(order_id, "reject", reason="counter out of stock")
        self.orders[order_id].status = "rejected"
        self._refund(self.orders[order_id])

    @precondition(lambda self: self._open("pending"))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(self._open("pending")))
        self.service.transition(order_id, "cancel")
        self.orders[order_id].status = "cancelled"
        self._refund(self.orders[order_id])

    @precondition(lambda self: self._open("fulfilled"))
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        # Refunded as a rejection: to the lots that paid (an expired one's share expires),
        # the stock back, and no longer counted against the per-person limit.
        order_id = data.draw(st.sampled_from(self._open("fulfilled")))
        self.service.reverse_order(order_id, "returned to the store")
        self.orders[order_id].status = "reversed"
        self._refund(self.orders[order_id])

    @precondition(lambda self: self.orders)
    @rule(
        data=st.data(),
        action=st.sampled_from(["approve", "fulfil", "reject", "cancel", "reverse"]),
    )
    def illegal_transition_changes_nothing(self, data: st.DataObject, action: str) -> None:
        legal = {
            "approve": ("pending",),
            "fulfil": ("approved",),
            "reject": ("pending", "approved"),
            "cancel": ("pending",),
            "reverse": ("fulfilled",),
        }[action]
        closed = [k for k, o in sorted(self.orders.items()) if o.status not in legal]
        if not closed:
            return
        order_id = data.draw(st.sampled_from(closed))
        with pytest.raises(LedgerError) as err:
            self.service.transition(order_id, action, reason="r")
        assert err.value.code is ErrorCode.INVALID_TRANSITION

    @rule(days=st.integers(0, 45), runs=st.integers(1, 2))
    def expire(self, days: int, runs: int) -> None:
        self.clock.advance(days=days)
        due = sum(
            lot.remaining
            for lots in self.lots.values()
            for lot in lots
            if lot.expires_at <= self.clock.now
        )
        results = [self.service.run_expiry() for _ in range(runs)]
        assert results[0].expired_points == due
        assert all(r.expired_points == 0 for r in results[1:])
        for lots in self.lots.values():
            for lot in lots:
                if lot.expires_at <= self.clock.now:
                    lot.remaining = 0

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def audit_is_clean(self) -> None:
        report = self.service.audit_report()
        assert report.ok, report.as_dict()

    @invariant()
    def wallets_match_the_model(self) -> None:
        for employee in EMPLOYEES:
            data = self.service.employee(employee)
            assert data["balance"] >= 0
            assert data["balance"] == sum(lot.remaining for lot in self.lots[employee])
            open_points = sum(
                o.points
                for o in self.orders.values()
                if o.employee == employee and o.status in ("pending", "approved")
            )
            assert data["held"] == open_points

    @invariant()
    def orders_and_stock_match_the_model(self) -> None:
        statuses = {o["order_id"]: o["status"] for o in self.service.list_orders(limit=5000)}
        for order_id, order in self.orders.items():
            assert statuses[order_id] == order.status
        stocks = {i["id"]: i["stock"] for i in self.service.list_items()}
        assert stocks == self.stock


class PostgresLedgerMachine(LedgerMachine):
    backend = "postgresql"


MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = MACHINE_SETTINGS


TestPostgresLedgerMachine = PostgresLedgerMachine.TestCase
TestPostgresLedgerMachine.settings = MACHINE_SETTINGS
pytest.mark.pg(pytest.mark.usefixtures("pg_server")(TestPostgresLedgerMachine))
