"""The network drops: the kiosk keeps selling within its floor limits, and when the ledger is
back every order arrives exactly once and the ledger's refusals come back as ``rejected``."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from kiosk.policy import OrderRefused, Refusal
from kiosk.runtime import KioskRuntime
from ledger.domain.adjustments import AdjustmentIn
from ledger.storage.models import Account
from ledger.storage.models import Order as LedgerOrder
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.ledger.factory import employee, grant


def refusal(call: object, *args: object) -> Refusal:
    with pytest.raises(OrderRefused) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.reason


def ledger_orders(ledger: LiveLedger) -> list[tuple[str, str, str, str | None]]:
    with ledger.service.db.read() as session:
        rows = session.execute(
            select(LedgerOrder.id, LedgerOrder.employee_id, LedgerOrder.status, LedgerOrder.reason)
        ).all()
    return sorted((str(a), b, c, d) for a, b, c, d in rows)


def go_offline(ledger: LiveLedger, *kiosks: KioskRuntime) -> None:
    ledger.stop()
    for kiosk in kiosks:
        report = kiosk.sync_once()
        assert report.error and kiosk.status.snapshot().state == "offline"


def test_offline_orders_within_the_limits_arrive_once(
    any_factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    ledger = any_factory_floor
    ledger.service.update_settings(
        {"offline_order_limit": 1000, "offline_spend_limit": 1500,
         "offline_kiosk_limit": 1800, "pin_threshold": 5000}
    )  # fmt: skip
    kiosk = make_kiosk(ledger)
    kiosk.sync_once()
    zhang = kiosk.service.login(qr_badge(ledger, "E1001"))
    li = kiosk.service.login(qr_badge(ledger, "E1002"))
    go_offline(ledger, kiosk)

    card = zhang.place_order("card-100")  # 1000: at the per-order limit
    assert card.offline
    assert refusal(zhang.place_order, "leave-day", 3) is Refusal.OFFLINE_ORDER_LIMIT
    assert refusal(zhang.place_order, "leave-day", 2) is Refusal.OFFLINE_WORKER_LIMIT
    leave = zhang.place_order("leave-day")  # the worker's 1500 between syncs
    assert refusal(li.place_order, "leave-day") is Refusal.OFFLINE_KIOSK_LIMIT
    cake = li.place_order("cake")  # the kiosk's 1800
    assert refusal(li.place_order, "card-100") is Refusal.INSUFFICIENT_POINTS
    assert zhang.balance().available == 1500 and li.balance().available == 500
    assert {o.status for o in zhang.orders()} == {"queued"}

    # Meanwhile HR takes back most of Li's points; the ledger will refuse the cake.
    ledger.service.adjust(
        AdjustmentIn(adjustment_id="fix-1", employee_id="E1002", points=-600, reason="error")
    )
    ledger = ledger.restart()
    try:
        report = kiosk.sync_once()
        assert (report.created, report.rejected, report.error) == (2, 1, None)
        assert ledger_orders(ledger) == sorted(
            [
                (card.order_id, "E1001", "pending", None),
                (leave.order_id, "E1001", "pending", None),
                (cake.order_id, "E1002", "rejected", "insufficient_points"),
            ]
        )
        statuses = {o.order_id: (o.status, o.reason) for o in li.orders()}
        assert statuses[cake.order_id] == ("rejected", "insufficient_points")
        assert kiosk.sync_once().created == 0 and len(ledger_orders(ledger)) == 3
        assert zhang.balance().available == 1500 and li.balance().available == 200
        # Synced again: the floor limits start afresh.
        assert not kiosk.service.login(qr_badge(ledger, "E1001")).place_order("cake").offline
        assert ledger.service.audit_report().ok
    finally:
        ledger.stop()


def test_no_offline_orders_after_too_long_without_a_sync(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    go_offline(factory_floor, kiosk)
    clock = kiosk.service.clock
    clock.advance(23 * 3600)  # type: ignore[attr-defined]
    worker.place_order("cake")
    clock.advance(2 * 3600)  # type: ignore[attr-defined]
    assert refusal(worker.place_order, "cake") is Refusal.OFFLINE_TOO_LONG
    # The wall clock set back does not reopen the window: it is measured monotonically.
    clock.wall -= __import__("datetime").timedelta(days=2)  # type: ignore[attr-defined]
    assert refusal(worker.place_order, "cake") is Refusal.OFFLINE_TOO_LONG


def test_after_a_restart_the_time_without_sync_still_counts(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    clock = kiosk.service.clock
    factory_floor.stop()
    clock.advance(25 * 3600)  # type: ignore[attr-defined]
    restarted = KioskRuntime.open(kiosk.config, clock=clock)
    try:
        worker = restarted.service.login(qr_badge(factory_floor, "E1001"))
        assert refusal(worker.place_order, "cake") is Refusal.OFFLINE_TOO_LONG
    finally:
        restarted.close()


def test_two_offline_kiosks_cannot_overspend_one_worker(
    any_live: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    from tests.kiosk.conftest import furnish

    ledger = furnish(any_live)
    employee(ledger.service, "E1003", name="王芳")
    grant(ledger.service, "E1003", 1000)
    a, b = make_kiosk(ledger, "Kiosk A"), make_kiosk(ledger, "Kiosk B")
    a.sync_once()
    b.sync_once()
    badge = qr_badge(ledger, "E1003")
    go_offline(ledger, a, b)
    at_a, at_b = a.service.login(badge), b.service.login(badge)
    placed_a = [at_a.place_order("leave-day"), at_a.place_order("cake")]
    placed_b = [at_b.place_order("leave-day"), at_b.place_order("cake")]
    assert at_a.balance().available == at_b.balance().available == 200

    ledger = ledger.restart()
    try:
        assert a.sync_once().created == 2
        report_b = b.sync_once()
        assert (report_b.created, report_b.rejected) == (0, 2)
        with ledger.service.db.read() as session:
            assert session.get_one(Account, "wallet:E1003").balance == 200
        statuses = {o.order_id: (o.status, o.reason) for o in at_b.orders()}
        for placed in placed_b:
            assert statuses[placed.order_id] == ("rejected", "insufficient_points")
        a.sync_once()
        # Each kiosk shows the outcome of all four, wherever they were placed.
        expected = {p.order_id: "pending" for p in placed_a} | {
            p.order_id: "rejected" for p in placed_b
        }
        assert {o.order_id: o.status for o in at_a.orders()} == expected
        assert {o.order_id: o.status for o in at_b.orders()} == expected
        assert at_a.balance().available == at_b.balance().available == 200
        assert ledger.service.audit_report().ok
    finally:
        ledger.stop()


def test_the_sync_thread_retries_by_itself(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor, sync_interval=30.0, max_backoff=0.3)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    factory_floor.stop()
    kiosk.start()
    placed = worker.place_order("cake")  # wakes the thread, which cannot reach the ledger
    deadline = time.monotonic() + 20
    while kiosk.status.snapshot().state != "offline":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert kiosk.status.snapshot().backlog == 1
    ledger = factory_floor.restart()
    try:
        while kiosk.status.snapshot().backlog:
            assert time.monotonic() < deadline, kiosk.status.snapshot()
            time.sleep(0.05)
        assert kiosk.status.snapshot().state == "online"
        assert [o[0] for o in ledger_orders(ledger)] == [placed.order_id]
    finally:
        kiosk.close()
        ledger.stop()
