"""A worker's e-gift-card and membership codes on "My orders", in the real window over a real
ledger: asked for as the screen opens (never on the UI thread), shown on their own order's
row in the worker's language, said to be unavailable offline or refused, and gone at log-out,
never shown to another worker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.order_states import CodesState
from kiosk.runtime import KioskRuntime
from tests.conftest import LiveLedger
from tests.kiosk.test_order_codes import gift_card_fulfilled
from tests.ui.test_journey import scan
from ui.main_window import MainWindow
from ui.screens.orders import BREAK_ANYWHERE, OrdersScreen

WORDS = {
    "zh": {
        "caption": "兑换码",
        "loading": "正在获取兑换码…",
        "offline": "联网后可查看兑换码",
        "refused": "无法显示兑换码：请刷工牌后查看。",
    },
    "en": {
        "caption": "Your code",
        "loading": "Getting your codes…",
        "offline": "Your codes can be seen when the kiosk is online.",
        "refused": "Your codes cannot be shown: please scan your badge to see them.",
    },
}


def shown_codes(screen: OrdersScreen) -> list[str]:
    """The codes the rows show, as the worker reads them."""
    return [
        row.code.text().replace(BREAK_ANYWHERE, "") for row in screen.rows if row.code.isVisible()
    ]


def note(screen: OrdersScreen) -> str:
    return screen.codes_note.text() if screen.codes_note.isVisible() else ""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_worker_sees_their_code_and_nobody_else_does(
    qtbot,
    window: MainWindow,
    badge: Callable[[str], str],
    kiosk: KioskRuntime,
    factory_floor: LiveLedger,
    language: str,
) -> None:
    zhang = badge("E1001")
    order_id = gift_card_fulfilled(factory_floor, kiosk, zhang)
    window.visit.choose_language(language)
    scan(qtbot, window, zhang)
    visit, screen, words = window.visit, window.orders, WORDS[language]
    assert visit.session is not None and visit.session.employee_id == "E1001"
    visit.session.place_order("cake")  # pending: no code, nothing said on its row
    visit.show_orders()
    assert window.nav.showing("orders")
    # The answer comes back through the event loop: until then the screen says it is asking.
    assert note(screen) == words["loading"]
    assert shown_codes(screen) == []
    qtbot.waitUntil(lambda: screen.codes is not None and screen.codes.state is CodesState.SHOWN)
    assert shown_codes(screen) == ["GIFT-AAAA"]
    assert note(screen) == ""
    row = screen.row(order_id)
    assert row is not None and row.code.isVisible()
    assert row.code_caption.text() == words["caption"]
    assert row.code.font().pointSize() >= row.state.font().pointSize()
    assert {r.line.order_id for r in screen.rows if r.code.isVisible() and r.line} == {order_id}
    # A sync brings nothing new: the code stays, nothing is asked again.
    visit.status_changed(kiosk.service.connection())
    assert shown_codes(screen) == ["GIFT-AAAA"] and note(screen) == ""

    # Log-out ends the visit: the code is gone from the screen and from memory.
    visit.show_orders()  # asks again as it opens; the answer arrives after the log-out
    visit.logout()
    assert shown_codes(screen) == [] and screen.codes is None
    # Another worker with a fulfilled order of their own: asked for, and shown no code.
    li = badge("E1002")
    scan(qtbot, window, li)
    assert visit.session is not None and visit.session.employee_id == "E1002"
    cake = visit.session.place_order("cake")
    kiosk.sync_once()
    factory_floor.service.transition(cake.order_id, "approve")
    factory_floor.service.transition(cake.order_id, "fulfil")
    kiosk.sync_once()
    visit.show_orders()
    qtbot.waitUntil(lambda: screen.codes is not None and screen.codes.state is CodesState.SHOWN)
    qtbot.wait(200)  # any answer still on its way for the last worker
    assert shown_codes(screen) == [] and note(screen) == ""
    assert all("GIFT" not in r.code.text() for r in screen.pool)
    visit.logout()
    # The same worker again: a new visit asks again, nothing was kept.
    visit.choose_language(language)
    scan(qtbot, window, zhang)
    visit.show_orders()
    assert note(screen) == words["loading"] and shown_codes(screen) == []
    qtbot.waitUntil(lambda: shown_codes(screen) == ["GIFT-AAAA"])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_offline_the_screen_says_codes_come_with_the_network(
    qtbot,
    window: MainWindow,
    badge: Callable[[str], str],
    kiosk: KioskRuntime,
    factory_floor: LiveLedger,
    language: str,
) -> None:
    zhang = badge("E1001")
    gift_card_fulfilled(factory_floor, kiosk, zhang)
    window.visit.choose_language(language)
    scan(qtbot, window, zhang)
    factory_floor.stop()
    window.visit.show_orders()
    screen = window.orders
    qtbot.waitUntil(lambda: note(screen) == WORDS[language]["offline"])
    assert shown_codes(screen) == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_refused_worker_is_told_why(
    qtbot,
    window: MainWindow,
    badge: Callable[[str], str],
    kiosk: KioskRuntime,
    factory_floor: LiveLedger,
    language: str,
) -> None:
    zhang = badge("E1001")
    gift_card_fulfilled(factory_floor, kiosk, zhang)
    window.visit.choose_language(language)
    scan(qtbot, window, zhang)
    factory_floor.service.revoke_badge(zhang.split(".")[2])  # since the login
    window.visit.show_orders()
    screen = window.orders
    qtbot.waitUntil(lambda: note(screen) == WORDS[language]["refused"])
    assert shown_codes(screen) == []


def test_a_worker_without_fulfilled_orders_is_not_asked_about(
    qtbot, window: MainWindow, badge: Callable[[str], str], kiosk: KioskRuntime
) -> None:
    scan(qtbot, window, badge("E1002"))
    window.visit.show_orders()
    assert window.orders.codes is not None
    assert window.orders.codes.state is CodesState.NONE
    assert note(window.orders) == "" and not window.visit._codes_asking
