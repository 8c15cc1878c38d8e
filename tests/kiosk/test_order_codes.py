"""A worker's codes reach their own visit at a kiosk, and nobody else's."""

from __future__ import annotations

from dataclasses import replace

from kiosk.order_codes import NO_EVIDENCE
from kiosk.order_states import CodesState
from kiosk.runtime import KioskRuntime
from kiosk.service import WorkerSession
from ledger.domain.catalogue import ItemSpec
from sync.protocol import ErrorCode, Localized
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


def gift_card_fulfilled(ledger: LiveLedger, kiosk: KioskRuntime, badge: str) -> str:
    """A code-pool item, ordered at ``kiosk`` with ``badge`` and approved (so fulfilled with
    the pool's first code), all synced; returns the order id."""
    ledger.service.put_item(
        "gift-50",
        ItemSpec(title=Localized(zh="礼品卡", en="Gift card"), category="virtual", points=100,
                 fulfilment="code_pool"),
    )  # fmt: skip
    ledger.service.add_codes("gift-50", "GIFT-AAAA\nGIFT-BBBB\n")
    kiosk.sync_once()
    placed = kiosk.service.login(badge).place_order("gift-50")
    kiosk.sync_once()
    ledger.service.transition(placed.order_id, "approve")
    kiosk.sync_once()
    return placed.order_id


def test_the_code_is_shown_to_its_worker_only(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    order_id = gift_card_fulfilled(factory_floor, kiosk, badge)
    zhang = kiosk.service.login(badge)
    answer = zhang.order_codes()
    assert answer.state is CodesState.SHOWN
    assert answer.codes == {order_id: "GIFT-AAAA"}
    li = kiosk.service.login(qr_badge(factory_floor, "E1002"))
    assert li.order_codes().codes == {}
    factory_floor.stop()
    offline = zhang.order_codes()  # offline: none to show, no error
    assert offline.state is CodesState.UNAVAILABLE and offline.codes == {}


def test_the_orders_view_carries_the_codes_of_the_visit(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    order_id = gift_card_fulfilled(factory_floor, kiosk, badge)
    zhang = kiosk.service.login(badge)
    other = zhang.place_order("cake")  # pending: never has a code
    before = zhang.orders_view()
    assert before.codes.state is CodesState.LOADING and before.codes.stale
    zhang.order_codes()
    view = zhang.orders_view()
    assert view.codes.state is CodesState.SHOWN and not view.codes.stale
    assert view.codes.codes == {order_id: "GIFT-AAAA"}
    assert other.order_id not in view.codes.codes
    # Asking again keeps the codes on the screen meanwhile.
    assert zhang.orders_view(asking=True).codes.codes == {order_id: "GIFT-AAAA"}
    # A new visit of the same worker starts with nothing until it asks.
    assert kiosk.service.login(badge).orders_view().codes.state is CodesState.LOADING
    # A worker without fulfilled orders is not asked about and shown nothing.
    li: WorkerSession = kiosk.service.login(qr_badge(factory_floor, "E1002"))
    assert li.orders_view().codes.state is CodesState.NONE


def test_a_badge_revoked_since_login_is_refused(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    gift_card_fulfilled(factory_floor, kiosk, badge)
    zhang = kiosk.service.login(badge)
    factory_floor.service.revoke_badge(badge.split(".")[2])
    answer = zhang.order_codes()
    assert answer.state is CodesState.REFUSED and answer.codes == {}
    assert answer.refusal == ErrorCode.EVIDENCE_INVALID
    view = zhang.orders_view()
    assert view.codes.state is CodesState.REFUSED and view.codes.codes == {}


def test_a_visit_with_nothing_to_show_is_not_asked_about(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    gift_card_fulfilled(factory_floor, kiosk, badge)
    zhang = kiosk.service.login(badge)
    # A PIN visit whose token an order has spent has nothing left to show the ledger.
    zhang.identity = replace(zhang.identity, badge_evidence=None, pin_token=None)
    answer = zhang.order_codes()
    assert answer.state is CodesState.REFUSED and answer.refusal == NO_EVIDENCE
