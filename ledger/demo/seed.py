"""Fill an empty ledger with a realistic factory, played forward month by month.

Everything goes through the service layer with a simulated clock, so the demo data obeys the
same rules as real data: events earn through rules, orders hold and refund, lots expire.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ledger.demo.data import CATALOGUE, DEPARTMENTS, GIVEN, RULES, SURNAMES
from ledger.demo.images import item_picture
from ledger.domain.catalogue import ItemSpec
from ledger.domain.people import EmployeeSpec
from ledger.domain.rules import EventIn, RuleSpec
from ledger.service import Actor, LedgerService
from ledger.storage.models import Employee
from sync.protocol import Localized, LocalizedText, OrderRequest

MONTHS = 13
# Monthly chance per worker, by event kind.
MONTHLY = {
    "training.completed": 0.30,
    "activity.attended": 0.25,
    "safety.suggestion": 0.10,
    "attendance.full_month": 0.55,
}


class _SimClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def seed_demo(
    service: LedgerService, workers: int = 200, seed: int = 7, now: datetime | None = None
) -> dict[str, Any]:
    """Seed an empty ledger; returns counts and a few demo badges."""
    with service.db.read() as session:
        if session.scalar(select(func.count()).select_from(Employee)):
            raise RuntimeError("the ledger already has employees; demo-seed needs an empty one")
    # Drawn before anything is written: without a Chinese font this stops with a clear message
    # and leaves the database empty.
    pictures = {item_id: item_picture(item_id) for item_id in CATALOGUE}
    rng = random.Random(seed)
    end = now or datetime.now(UTC)
    clock = _SimClock(end - timedelta(days=30 * MONTHS + 5))
    sim = LedgerService(
        service.db, badge_key=service.badge_key, clock=clock, actor=Actor.system("demo-seed")
    )

    for kind, (points, days, zh, en, cap, period) in RULES.items():
        sim.put_rule(
            kind,
            RuleSpec(
                points=points,
                validity_days=days,
                title=Localized(zh=zh, en=en),
                cap_per_period=cap,
                period=period,
            ),
        )
    for item_id, (cat, points, stock, limit, period, zh, en, dzh, den) in CATALOGUE.items():
        sim.put_item(
            item_id,
            ItemSpec(
                title=Localized(zh=zh, en=en),
                description=LocalizedText(zh=dzh, en=den),
                category=cat,
                points=points,
                stock=stock,
                limit_per_employee=limit,
                limit_period=period,
            ),
        )
        sim.put_image(item_id, pictures[item_id])

    staff = _hire(sim, rng, workers)
    badges = []
    for n, (employee_id, name) in enumerate(staff):
        _, payload = sim.issue_badge(employee_id, "qr", None)
        if n < 10:
            # Demo PINs are the digits of the employee number, so a tester can guess them.
            pin = "".join(ch for ch in employee_id if ch.isdigit()).rjust(4, "0")
            sim.set_pin(employee_id, pin)
            badges.append({"employee_id": employee_id, "name": name, "qr": payload, "pin": pin})
        if rng.random() < 0.3:
            sim.issue_badge(employee_id, "rfid", f"04{rng.getrandbits(48):012X}")

    counts = {"events": 0, "orders": 0}
    open_orders: dict[str, tuple[datetime, str]] = {}
    for month in range(MONTHS, 0, -1):
        month_start = end - timedelta(days=30 * month)
        clock.now = month_start + timedelta(days=27)
        events = _month_events(rng, staff, month_start, month)
        for start in range(0, len(events), 1000):
            outcome = sim.ingest_events(events[start : start + 1000])
            counts["events"] += outcome.accepted
        sim.run_expiry()
        open_orders.update(_month_orders(sim, rng, staff, clock, counts))
        _advance_orders(sim, rng, open_orders, clock.now)
    clock.now = end
    sim.run_expiry()
    report = sim.audit_report()
    return {
        "employees": len(staff),
        "rules": len(RULES),
        "items": len(CATALOGUE),
        "events": counts["events"],
        "orders": counts["orders"],
        "audit_ok": report.ok,
        "badges": badges,
    }


def _hire(sim: LedgerService, rng: random.Random, workers: int) -> list[tuple[str, str]]:
    staff = []
    for n in range(workers):
        employee_id = f"E{1001 + n}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        language = "en" if rng.random() < 0.08 else "zh"
        sim.put_employee(
            employee_id,
            EmployeeSpec(
                name=name, department=DEPARTMENTS[n % len(DEPARTMENTS)], language=language
            ),
        )
        staff.append((employee_id, name))
    return staff


def _month_events(
    rng: random.Random, staff: list[tuple[str, str]], month_start: datetime, month: int
) -> list[EventIn]:
    events = []
    stamp = month_start.strftime("%Y%m")
    for employee_id, _ in staff:
        for kind, chance in MONTHLY.items():
            if rng.random() < chance:
                at = month_start + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 9))
                events.append(_event(kind, employee_id, stamp, at))
        if month % 3 == 0:  # quarterly reviews
            roll = rng.random()
            review = (
                "performance.excellent"
                if roll < 0.15
                else "performance.good"
                if roll < 0.5
                else None
            )
            if review:
                events.append(_event(review, employee_id, stamp, month_start + timedelta(days=26)))
    return events


def _event(kind: str, employee_id: str, stamp: str, at: datetime) -> EventIn:
    """One HR event; the id is stable, so re-seeding the same month changes nothing."""
    return EventIn(
        event_id=f"{kind}-{employee_id}-{stamp}", kind=kind, employee_id=employee_id, occurred_at=at
    )


def _month_orders(
    sim: LedgerService,
    rng: random.Random,
    staff: list[tuple[str, str]],
    clock: _SimClock,
    counts: dict[str, int],
) -> dict[str, tuple[datetime, str]]:
    placed: dict[str, tuple[datetime, str]] = {}
    items = [(k, v[1]) for k, v in CATALOGUE.items()]
    for employee_id, _ in rng.sample(staff, k=max(1, len(staff) // 8)):
        balance = sim.employee(employee_id)["balance"]
        affordable = [(k, p) for k, p in items if p <= balance]
        if not affordable:
            continue
        item_id, points = rng.choice(affordable)
        request = OrderRequest(
            order_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            employee_id=employee_id,
            item_id=item_id,
            quantity=1,
            points=points,
            badge_serial=None,
            placed_at=clock.now,
            offline=rng.random() < 0.1,
        )
        placement = sim.place_order(request, None)
        if placement.refusal is None:
            counts["orders"] += 1
            placed[placement.order.order_id] = (clock.now, "pending")
    return placed


def _advance_orders(
    sim: LedgerService,
    rng: random.Random,
    open_orders: dict[str, tuple[datetime, str]],
    now: datetime,
) -> None:
    """HR works the queue: older orders get further along; a few are rejected or cancelled.

    ``open_orders`` maps an order id to when it was placed and its status; closed orders leave.
    """
    for order_id, (placed_at, status) in list(open_orders.items()):
        roll = rng.random()
        if placed_at == now:  # placed this month
            if roll < 0.06:
                sim.transition(order_id, "cancel")
                del open_orders[order_id]
            elif roll < 0.5:
                sim.transition(order_id, "approve")
                open_orders[order_id] = (placed_at, "approved")
            continue
        if roll < 0.08:
            sim.transition(order_id, "reject", reason="该商品暂时缺货 / temporarily out of stock")
        else:
            if status == "pending":
                sim.transition(order_id, "approve")
            sim.transition(order_id, "fulfil")
        del open_orders[order_id]
