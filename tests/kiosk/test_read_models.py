"""What the worker sees: balance minus unconfirmed orders, expiry windows, history with
running balances and filters, the catalogue with "can afford", and the kiosk's own checks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.errors import LoginError, LoginProblem
from kiosk.policy import OrderRefused, Refusal
from kiosk.runtime import KioskRuntime
from kiosk.service import WorkerSession
from ledger.domain.catalogue import ItemSpec
from ledger.domain.rules import EventIn
from sync.protocol import Localized
from sync.voucher import voucher_code
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.ledger.factory import grant, rule


@pytest.fixture
def world(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> tuple[KioskRuntime, WorkerSession]:
    service = factory_floor.service
    clock = service.clock
    rule(service, "performance.excellent", points=500, validity_days=365)
    service.ingest_events(
        [
            EventIn(
                event_id="q1-E1003",
                kind="performance.excellent",
                employee_id="E1003",
                occurred_at=clock() - timedelta(days=100),
            )
        ]
    )
    grant(service, "E1003", 100, validity_days=1)
    clock.advance(days=2)
    service.run_expiry()
    for points, days in ((200, 20), (300, 50), (400, 80)):
        grant(service, "E1003", points, validity_days=days)
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    return kiosk, kiosk.service.login(qr_badge(factory_floor, "E1003"))


@pytest.fixture(autouse=True)
def third_worker(factory_floor: LiveLedger) -> None:
    from tests.ledger.factory import employee

    employee(factory_floor.service, "E1003", name="王芳")


def refusal(call: object, *args: object) -> OrderRefused:
    with pytest.raises(OrderRefused) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def test_history_runs_back_from_the_balance(world: tuple[KioskRuntime, WorkerSession]) -> None:
    _, worker = world
    page = worker.history()
    assert [(e.points, e.balance_after) for e in page.entries] == [
        (400, 1400), (300, 1000), (200, 700), (-100, 500), (100, 600), (500, 500)
    ]  # fmt: skip
    assert page.entries[-1].title_en == "Quarterly performance: excellent"
    assert page.entries[-1].title_zh == "季度绩效优秀"
    assert page.entries[0].created_at > page.entries[-1].created_at
    assert [e.points for e in worker.history("earned").entries] == [400, 300, 200, 100, 500]
    assert [e.points for e in worker.history("expired").entries] == [-100]
    assert worker.history("spent").total == 0
    second = worker.history(page=1, page_size=4)
    assert [e.points for e in second.entries] == [100, 500]
    assert (second.total, second.pages) == (6, 2)
    assert worker.history(page=5).entries == ()


def test_balance_expiry_and_orders_follow_the_outbox(
    world: tuple[KioskRuntime, WorkerSession],
) -> None:
    kiosk, worker = world
    home = worker.home()
    assert home.balance.available == 1400 and home.balance.held == 0
    assert home.expiry.totals == {30: 200, 60: 500, 90: 900}
    assert [lot.points for lot in home.expiry.lots] == [200, 300, 400]
    assert len(home.recent) == 6

    placed = worker.place_order("leave-day")
    assert placed.voucher == voucher_code(placed.order_id) and placed.balance_after == 900
    balance = worker.balance()
    assert (balance.synced, balance.unconfirmed, balance.available, balance.held) == (
        1400, 500, 900, 500
    )  # fmt: skip
    (line,) = worker.orders()
    assert (line.status, line.title_en, line.cancellable) == ("queued", "Extra day of leave", True)

    kiosk.sync_once()
    balance = worker.balance()
    assert (balance.synced, balance.unconfirmed, balance.held) == (900, 0, 500)
    spent = worker.history("spent").entries
    assert [(e.points, e.balance_after, e.title_en) for e in spent] == [
        (-500, 900, "Extra day of leave")
    ]
    # The points came from the lots that expire first.
    assert worker.expiring().totals == {30: 0, 60: 0, 90: 400}


def test_catalogue_flags_what_the_worker_can_afford(
    world: tuple[KioskRuntime, WorkerSession], factory_floor: LiveLedger
) -> None:
    kiosk, worker = world
    worker.place_order("leave-day")  # 900 left
    cards = {c.item_id: c for c in worker.catalogue()}
    assert set(cards) == {"card-100", "leave-day", "cake"}
    assert (cards["card-100"].can_afford, cards["card-100"].points_short) == (False, 100)
    assert (cards["leave-day"].can_afford, cards["leave-day"].points_short) == (True, 0)
    assert cards["cake"].stock_left == 3 and cards["leave-day"].stock_left is None
    assert [c.item_id for c in worker.catalogue("service")] == ["cake"]
    worker.place_order("cake", 2)
    assert worker.item("cake").stock_left == 1
    rich = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    assert refusal(rich.place_order, "cake", 2).reason is Refusal.OUT_OF_STOCK
    rich.place_order("cake", 1)
    assert refusal(worker.item, "nothing").reason is Refusal.UNKNOWN_ITEM


def test_the_kiosk_refuses_what_the_ledger_would(
    world: tuple[KioskRuntime, WorkerSession], factory_floor: LiveLedger
) -> None:
    kiosk, worker = world
    service = factory_floor.service
    service.put_item(
        "mug",
        ItemSpec(title=Localized(zh="杯子", en="Mug"), category="physical", points=10,
                 limit_per_employee=2, limit_period="month"),
    )  # fmt: skip
    service.put_item(
        "old", ItemSpec(title=Localized(zh="旧", en="Old"), category="physical", points=10,
                        active=False),
    )  # fmt: skip
    service.update_settings({"pin_threshold": 400})
    service.set_pin("E1003", "1357")
    kiosk.sync_once()

    worker.place_order("mug", 2)
    assert refusal(worker.place_order, "mug", 1).reason is Refusal.LIMIT_REACHED
    assert refusal(worker.place_order, "old", 1).reason is Refusal.ITEM_INACTIVE
    assert refusal(worker.place_order, "nope", 1).reason is Refusal.UNKNOWN_ITEM
    for quantity in (0, 100, -1, "2", True, 1.5):
        assert refusal(worker.place_order, "mug", quantity).reason is Refusal.INVALID_QUANTITY
    shortfall = refusal(worker.place_order, "card-100", 2)
    assert (shortfall.reason, shortfall.needed) == (Refusal.PIN_REQUIRED, None)

    assert worker.needs_pin(500) and not worker.needs_pin(400)
    assert refusal(worker.place_order, "leave-day", 1).reason is Refusal.PIN_REQUIRED
    with pytest.raises(LoginError) as caught:
        worker.place_order("leave-day", 1, pin="0000")
    assert caught.value.problem is LoginProblem.WRONG_PIN
    worker.place_order("leave-day", 1, pin="1357")
    # The ledger's PIN token is spent by that order: the next large one asks again.
    assert worker.needs_pin(500)
    worker.verify_pin("1357")
    assert not worker.needs_pin(500)
    short = refusal(worker.place_order, "card-100", 1)
    assert (short.reason, short.needed) == (Refusal.INSUFFICIENT_POINTS, 120)

    other = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    mine = worker.orders()[0].order_id
    assert refusal(other.cancel_order, mine).reason is Refusal.UNKNOWN_ORDER
    kiosk.sync_once()
    service.transition(mine, "approve")
    kiosk.sync_once()
    assert refusal(worker.cancel_order, mine).reason is Refusal.NOT_CANCELLABLE


def test_how_to_earn_lists_active_rules(world: tuple[KioskRuntime, WorkerSession]) -> None:
    kiosk, _ = world
    (line,) = kiosk.service.rules()
    assert (line.kind, line.points, line.validity_days, line.title_zh) == (
        "performance.excellent", 500, 365, "季度绩效优秀"
    )  # fmt: skip


def test_status_subscribers_hear_about_changes(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    seen: list[str] = []
    unsubscribe = kiosk.status.subscribe(lambda s: seen.append(s.state))
    kiosk.sync_once()
    factory_floor.stop()
    kiosk.sync_once()
    unsubscribe()
    kiosk.sync_once()
    # Each pass reports its start (syncing) and its end; nothing after unsubscribing.
    assert seen == ["unknown", "online", "online", "offline"]


def test_a_reversed_order_is_shown_refunded_and_frees_its_limit(
    world: tuple[KioskRuntime, WorkerSession], factory_floor: LiveLedger
) -> None:
    kiosk, worker = world
    service = factory_floor.service
    service.put_item(
        "mug",
        ItemSpec(title=Localized(zh="杯子", en="Mug"), category="physical", points=10,
                 limit_per_employee=2, limit_period="month"),
    )  # fmt: skip
    kiosk.sync_once()
    placed = worker.place_order("mug", 2)
    kiosk.sync_once()
    service.transition(placed.order_id, "approve")
    service.transition(placed.order_id, "fulfil")
    kiosk.sync_once()
    assert worker.balance().available == 1380
    assert refusal(worker.place_order, "mug", 1).reason is Refusal.LIMIT_REACHED

    service.reverse_order(placed.order_id, "returned unused")
    kiosk.sync_once()
    (line,) = worker.orders()
    assert (line.status, line.cancellable) == ("reversed", False)
    assert line.reason is None  # HR's words on a reversal stay in the ledger
    assert worker.balance().available == 1400
    worker.place_order("mug", 2)  # the reversed order no longer counts against the limit
