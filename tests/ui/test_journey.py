"""The whole visit, driven through the real window: scan, look, redeem, cancel, log out."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView

from kiosk.runtime import KioskRuntime
from tests.conftest import LiveLedger
from ui.lists import KEY_ROLE
from ui.main_window import MainWindow


def scan(qtbot, window: MainWindow, text: str) -> None:
    """Type like a keyboard-wedge scanner: fast keys, then Enter, at whatever has focus."""
    target = window.focusWidget() or window
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def tap_row(qtbot, view: QListView, key: str) -> None:
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(KEY_ROLE) == key:
            view.scrollTo(index)
            center = view.visualRect(index).center()
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
            return
    raise AssertionError(f"no row {key}")


def test_scan_to_order_to_cancel(
    qtbot, window: MainWindow, badge: Callable[[str], str], kiosk: KioskRuntime
) -> None:
    assert window.stack.currentWidget() is window.welcome
    scan(qtbot, window, badge("E1001"))
    assert window.stack.currentWidget() is window.home
    assert window.home.balance.text() == "3,000"
    assert window.header.who.text() == "张伟"

    qtbot.mouseClick(window.home.catalogue, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.catalogue
    assert window.catalogue.model.rowCount() == 3
    tap_row(qtbot, window.catalogue.list, "leave-day")
    assert window.stack.currentWidget() is window.item
    qtbot.mouseClick(window.item.plus, Qt.MouseButton.LeftButton)
    assert window.item.count.text() == "2"
    qtbot.mouseClick(window.item.redeem_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.confirm
    assert window.confirm.question.text() == "额外年假一天 × 2"
    assert "1,000" in window.confirm.cost.text() and "2,000" in window.confirm.after.text()
    qtbot.mouseClick(window.confirm.confirm, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.done
    (line,) = kiosk.service.login(badge("E1001")).orders()
    assert window.done.voucher.text() == line.voucher
    assert not window.done.qr.pixmap().isNull()

    qtbot.mouseClick(window.done.back, Qt.MouseButton.LeftButton)
    assert window.home.balance.text() == "2,000"
    qtbot.mouseClick(window.home.orders, Qt.MouseButton.LeftButton)
    row = window.orders.row(line.order_id)
    assert row is not None and row.cancel.isVisible()
    qtbot.mouseClick(row.cancel, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.orders.yes, Qt.MouseButton.LeftButton)
    row = window.orders.row(line.order_id)
    assert row is not None and "正在取消" in row.state.text() and not row.cancel.isVisible()

    qtbot.mouseClick(window.header.logout, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.welcome
    assert window.home.balance.text() == "" and window.orders.rows == []


def test_not_enough_points_shows_what_is_missing(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, badge("E1002"))  # 800 points, English speaker
    assert window.languages.current == "en"
    window.visit.show_catalogue()
    card = next(r for r in window.catalogue.model.rows if r.key == "card-100")
    assert card.muted and "200 more points needed" in card.subtitle
    window.visit.show_item("card-100")
    assert not window.item.redeem_button.isEnabled()
    assert window.item.why.text() == "You need 200 more points for this."


def test_an_offline_order_says_it_will_be_sent_later(
    qtbot, window: MainWindow, badge: Callable[[str], str], factory_floor: LiveLedger,
    kiosk: KioskRuntime,
) -> None:  # fmt: skip
    code = badge("E1001")
    factory_floor.stop()
    kiosk.sync_once()
    assert (
        "离线" in window.status_bar.connection.text()
        or qtbot.waitUntil(lambda: "离线" in window.status_bar.connection.text()) is None
    )
    scan(qtbot, window, code)
    window.visit.redeem("cake", 1)
    qtbot.mouseClick(window.confirm.confirm, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.done
    assert "网络恢复后" in window.done.offline.text()


def test_a_scan_on_any_screen_switches_worker(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, badge("E1001"))
    window.visit.show_history()
    assert window.history.model.rowCount() == 1
    scan(qtbot, window, badge("E1002"))
    assert window.stack.currentWidget() is window.home
    assert window.header.who.text() == "李娜" and window.home.balance.text() == "800"
    # Slow typing is a person at a keyboard, not a scanner: nothing happens.
    for char in "E1001":
        qtbot.keyClick(window, char)
        time.sleep(0.08)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.header.who.text() == "李娜"


def test_bad_scans_get_a_translated_message(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, "PK1.E1001.XYZ." + "A" * 86)
    assert window.messages.text == "此工牌无效，请联系人事部。"
    window.set_language("en")
    scan(qtbot, window, "0000000000")
    assert window.messages.text == "This card is not registered. Please ask HR."


def test_idle_logout_clears_the_screen(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, badge("E1001"))
    window.visit.show_orders()
    window.idle.set_timeout(0.05)
    window.idle.arm()
    qtbot.waitUntil(window.countdown.isVisible, timeout=2000)
    assert "20" in window.countdown.label.text()
    qtbot.mouseClick(window.countdown.button, Qt.MouseButton.LeftButton)
    assert not window.countdown.isVisible() and window.session is not None
    window.countdown.left = 1
    window.visit.start_countdown()
    window.countdown.left = 1
    window.countdown._tick()  # the last second passes
    assert window.session is None and window.stack.currentWidget() is window.welcome
    assert window.header.who.text() == "" and window.home.balance.text() == ""


def test_pin_login_and_lockout(qtbot, window: MainWindow) -> None:
    qtbot.mouseClick(window.welcome.use_pin, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pin

    def enter(number: str, pin: str) -> None:
        window.pin.start()
        for digit in number:
            qtbot.mouseClick(window.pin.keys[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
        for digit in pin:
            qtbot.mouseClick(window.pin.keys[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
        # The ledger checks the PIN on a thread; the pad says so and takes no second OK.
        qtbot.waitUntil(lambda: window.pin.ok.isEnabled() or window.session is not None)

    enter("9999", "1234")
    assert window.pin.message.text() == "找不到该工号。"
    for attempt in range(4):
        enter("1001", "0000")
        assert window.pin.message.text() == f"密码错误，还可尝试 {4 - attempt} 次。"
    enter("1001", "0000")
    assert window.pin.message.text() == "密码错误次数过多，请 30 秒后再试。"
    enter("1001", "2468")
    assert "秒后再试" in window.pin.message.text()
    assert window.session is None


def test_language_switch_retranslates_the_screens(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    assert window.welcome.title.text() == "请扫描工牌"
    qtbot.mouseClick(window.welcome.english, Qt.MouseButton.LeftButton)
    assert window.welcome.title.text() == "Scan your badge"
    scan(qtbot, window, badge("E1001"))  # prefers Chinese, but chose English just now
    assert window.home.catalogue.text() == "Catalogue"
    assert window.header.language.text() == "中文"
    qtbot.mouseClick(window.header.language, Qt.MouseButton.LeftButton)
    assert window.home.catalogue.text() == "兑换商城"
    assert window.header.logout.text() == "不是我 / 退出"
    assert window.header.language.text() == "English"
    qtbot.mouseClick(window.header.logout, Qt.MouseButton.LeftButton)
    assert window.welcome.title.text() == "请扫描工牌"  # back to the kiosk's language
    scan(qtbot, window, badge("E1002"))  # prefers English; nobody chose on the welcome screen
    assert window.home.catalogue.text() == "Catalogue"


def test_a_maintenance_badge_opens_the_panel(
    qtbot, window: MainWindow, factory_floor: LiveLedger, kiosk: KioskRuntime
) -> None:
    _, admin = factory_floor.service.issue_badge("E1002", "admin", None)
    kiosk.sync_once()
    window.set_language("en")
    scan(qtbot, window, admin)
    assert window.stack.currentWidget() is window.maintenance
    values = [label.text() for label in window.maintenance.values]
    assert values[0] == "Kiosk A" and values[1] == factory_floor.url and values[3] == "Online"
    assert window.session is None  # no wallet on screen
    qtbot.mouseClick(window.maintenance.sync, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.maintenance.close_panel, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.welcome


def test_a_large_order_asks_for_the_pin(
    qtbot, window: MainWindow, badge: Callable[[str], str], factory_floor: LiveLedger,
    kiosk: KioskRuntime,
) -> None:  # fmt: skip
    factory_floor.service.update_settings({"pin_threshold": 400})
    kiosk.sync_once()
    scan(qtbot, window, badge("E1001"))
    window.visit.redeem("leave-day", 1)  # 500 points: above the threshold
    assert window.stack.currentWidget() is window.pin and window.pin.step == "pin"
    for digit in "1111":
        qtbot.mouseClick(window.pin.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
    assert window.pin.message.text() == "正在核对密码…" and not window.pin.ok.isEnabled()
    qtbot.waitUntil(lambda: window.pin.message.text() == "密码错误，还可尝试 4 次。")
    for digit in "2468":
        qtbot.mouseClick(window.pin.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.confirm)
    qtbot.mouseClick(window.confirm.confirm, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.done


def test_typed_badges_count_only_where_allowed(qtbot, kiosk: KioskRuntime, badge) -> None:
    from ui.i18n import Languages

    demo = MainWindow(kiosk.service, Languages(), "en", accept_typed_scans=True)
    demo.install_input_filters()
    qtbot.addWidget(demo)
    demo.show()
    code = badge("E1002")
    for char in code[:6]:
        qtbot.keyClick(demo, char)
        time.sleep(0.06)  # slower than any scanner
    qtbot.keyClicks(demo, code[6:])
    qtbot.keyClick(demo, Qt.Key.Key_Return)
    assert demo.header.who.text() == "李娜"
    demo.close()
