"""A worker's codes reach their own visit at a kiosk, and nobody else's."""

from __future__ import annotations

from ledger.domain.catalogue import ItemSpec
from sync.protocol import Localized
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


def test_the_code_is_shown_to_its_worker_only(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    ledger = factory_floor.service
    ledger.put_item(
        "gift-50",
        ItemSpec(title=Localized(zh="礼品卡", en="Gift card"), category="virtual", points=100,
                 fulfilment="code_pool"),
    )  # fmt: skip
    ledger.add_codes("gift-50", "GIFT-AAAA\nGIFT-BBBB\n")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    zhang = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    placed = zhang.place_order("gift-50")
    kiosk.sync_once()
    ledger.transition(placed.order_id, "approve")
    kiosk.sync_once()
    assert zhang.order_codes() == {placed.order_id: "GIFT-AAAA"}
    li = kiosk.service.login(qr_badge(factory_floor, "E1002"))
    assert li.order_codes() == {}
    factory_floor.stop()
    assert zhang.order_codes() == {}  # offline: none to show, no error
