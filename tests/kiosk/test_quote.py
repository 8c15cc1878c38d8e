"""One quote for an order: what it costs and what limits it, the same on the item screen, the
confirm screen and at placement; and the expiry schedule a worker sees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.errors import OrderRefused, Refusal
from kiosk.runtime import KioskRuntime
from kiosk.service import WorkerSession
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.ledger.factory import employee, grant, item


@pytest.fixture
def shop(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> tuple[KioskRuntime, WorkerSession]:
    service = factory_floor.service
    employee(service, "E1003", name="王芳")
    grant(service, "E1003", 5000)
    item(service, "earbuds", points=1200, stock=4, limit_per_employee=2, limit_period="year",
         title={"zh": "无线耳机", "en": "Earbuds"})  # fmt: skip
    service.update_settings({"pin_threshold": 1000, "offline_order_limit": 2000,
                             "offline_spend_limit": 2500})  # fmt: skip
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    return kiosk, kiosk.service.login(qr_badge(factory_floor, "E1003"))


def test_a_quote_shows_every_limit_before_the_decision(
    shop: tuple[KioskRuntime, WorkerSession],
) -> None:
    _, worker = shop
    quote = worker.quote("earbuds", 1)
    assert (quote.cost, quote.available, quote.balance_after) == (1200, 5000, 3800)
    assert quote.stock_left == 4 and quote.limit is not None
    assert (quote.limit.per_person, quote.limit.period, quote.limit.left) == (2, "year", 2)
    assert quote.pin_needed and quote.pin_threshold == 1000
    assert quote.offline is None and quote.can_place and quote.max_quantity == 2

    over = worker.quote("earbuds", 3)
    assert over.refusal is not None and over.refusal.reason is Refusal.LIMIT_REACHED
    cheap = worker.quote("cake", 1)
    assert not cheap.pin_needed and cheap.max_quantity == 3  # three cakes in stock


def test_placing_refuses_exactly_what_the_quote_said(
    shop: tuple[KioskRuntime, WorkerSession],
) -> None:
    _, worker = shop
    with pytest.raises(OrderRefused) as caught:
        worker.place_order("earbuds", 1)
    assert caught.value.reason is Refusal.PIN_REQUIRED  # the quote said: PIN needed
    quote = worker.quote("earbuds", 3)
    assert quote.refusal is not None
    with pytest.raises(OrderRefused) as caught:
        worker.place_order("earbuds", 3, pin=None)
    # The PIN comes first, as on screen; with it, the quote's own refusal.
    assert caught.value.reason is Refusal.PIN_REQUIRED
    placed = worker.place_order("cake", 2)
    assert placed.points == worker.quote("cake", 1).unit_points * 2
    assert placed.title_en == "Birthday cake" and placed.category == "service"
    assert placed.balance_after == 5000 - 600 == worker.quote("cake", 1).available
    assert worker.quote("cake", 1).stock_left == 1  # the unsent order counts


def test_offline_the_quote_carries_the_floor_limit(
    shop: tuple[KioskRuntime, WorkerSession], factory_floor: LiveLedger
) -> None:
    kiosk, worker = shop
    factory_floor.stop()
    kiosk.sync_once()
    assert kiosk.service.connection().state == "offline"
    quote = worker.quote("leave-day", 1)
    assert quote.offline is not None and quote.offline.allowance == 2000 and quote.can_place
    worker.place_order("leave-day", 2)
    worker.place_order("leave-day", 2)
    quote = worker.quote("leave-day", 2)  # 1,000 points; 500 left of the worker's 2,500
    assert quote.offline is not None and quote.offline.allowance == 500 and not quote.pin_needed
    assert quote.refusal is not None and quote.refusal.reason is Refusal.OFFLINE_WORKER_LIMIT
    with pytest.raises(OrderRefused) as caught:
        worker.place_order("leave-day", 2)
    assert caught.value.reason is quote.refusal.reason
    # Above the PIN threshold: only the ledger checks PINs, so not while offline.
    large = worker.quote("earbuds", 1)
    assert large.pin_needed and large.refusal is not None
    assert large.refusal.reason is Refusal.PIN_NEEDS_NETWORK
    with pytest.raises(OrderRefused) as caught:
        worker.place_order("earbuds", 1)
    assert caught.value.reason is Refusal.PIN_NEEDS_NETWORK


def test_the_expiry_schedule_lists_a_year_by_day(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    service = factory_floor.service
    employee(service, "E1004", name="赵强")
    for points, days in ((100, 10), (50, 10), (200, 40), (300, 200), (400, 500)):
        grant(service, "E1004", points, validity_days=days)
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1004"))
    schedule = worker.expiry_schedule()
    now = service.clock()
    assert [line.points for line in schedule] == [150, 200, 300]  # 500 days is beyond a year
    assert schedule[0].day == (now + timedelta(days=10)).date()
    home = worker.home()
    assert home.next_expiry == schedule[0]
    employee(service, "E1005", name="无积分")
    kiosk.sync_once()
    nobody = kiosk.service.login(qr_badge(factory_floor, "E1005"))
    kiosk.sync_once()
    assert nobody.expiry_schedule() == () and nobody.home().next_expiry is None
