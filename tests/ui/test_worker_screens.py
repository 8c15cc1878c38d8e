"""What a worker sees around the screens: the status bar, messages, the limits before Redeem,
the outcome of an order, the expiry schedule and a cancel that updates by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPixmap, QPixmapCache

from kiosk.runtime import KioskRuntime
from tests.conftest import LiveLedger
from tests.ledger.factory import grant, item
from tests.ui.test_journey import scan
from ui.main_window import MainWindow
from ui.tokens import PALETTE


def colour_at_centre(widget) -> QColor:
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, 6)


def test_the_status_bar_shows_the_connection_and_the_balance(
    qtbot, window: MainWindow, badge: Callable[[str], str], kiosk: KioskRuntime
) -> None:
    bar = window.status_bar
    assert "在线" in bar.connection.text() and "已同步" in bar.connection.text()
    assert bar.balance.text() == ""
    scan(qtbot, window, badge("E1001"))
    assert bar.balance.text() == "余额：3,000 积分" and bar.isVisible()
    online = bar.connection.palette().color(bar.connection.foregroundRole())
    since = datetime(2026, 6, 15, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai
    kiosk.service.status.update(state="offline", offline_since=since)
    assert bar.connection.text() == "● 14:30 起离线"
    assert bar.connection.property("state") == "offline"
    offline = bar.connection.palette().color(bar.connection.foregroundRole())
    assert offline != online and offline == QColor(PALETTE.warning)
    kiosk.service.status.update(state="online", syncing=True, offline_since=None)
    assert "正在同步" in bar.connection.text()
    window.visit.show_catalogue()
    assert bar.isVisible() and bar.balance.text() == "余额：3,000 积分"
    window.visit.logout()
    assert bar.balance.text() == "" and bar.isVisible()


def test_logging_out_drops_what_the_screens_drew(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, badge("E1001"))
    window.visit.show_catalogue()
    # Stands for the style's cached drawings of the visit.
    assert QPixmapCache.insert("test-drawn-button", QPixmap(320, 110))
    assert QPixmapCache.find("test-drawn-button", QPixmap())
    window.visit.logout()
    assert not QPixmapCache.find("test-drawn-button", QPixmap())
    assert window.stack.currentWidget() is window.welcome


def test_messages_stay_inside_the_window_and_go_away(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    for size in ((1280, 800), (800, 1280)):
        window.resize(*size)
        scan(qtbot, window, "0000000000")
        toast = window.messages
        assert toast.isVisible() and toast.text == "此卡未登记，请联系人事部。"
        placed = QRect(toast.mapTo(window, QPoint(0, 0)), toast.size())
        assert window.rect().contains(placed), (placed, window.size())
        assert toast.timer.isActive() and toast.timer.interval() == 6000
    scan(qtbot, window, badge("E1001"))  # the next person does not read it
    assert not window.messages.isVisible()
    window.visit.say("Something for 张伟 only")
    window.visit.logout()
    assert not window.messages.isVisible()
    window.messages.show_message("briefly", seconds=0.05)
    qtbot.waitUntil(lambda: not window.messages.isVisible(), timeout=2000)
    window.messages.show_message("tap to close")
    qtbot.mouseClick(window.messages, Qt.MouseButton.LeftButton)
    assert not window.messages.isVisible()


def test_the_item_shows_its_limits_before_redeem(
    qtbot, window: MainWindow, badge: Callable[[str], str], factory_floor: LiveLedger,
    kiosk: KioskRuntime,
) -> None:  # fmt: skip
    service = factory_floor.service
    item(service, "earbuds", points=1200, stock=4, limit_per_employee=1, limit_period="year",
         title={"zh": "无线耳机", "en": "Earbuds"})  # fmt: skip
    service.update_settings({"pin_threshold": 1000, "offline_spend_limit": 1000})
    kiosk.sync_once()
    scan(qtbot, window, badge("E1001"))
    window.visit.show_item("earbuds")
    screen = window.item
    facts = [line.text() for line in screen.fact_lines if line.isVisible()]
    assert "库存：4" in facts
    assert "每人每年最多 1 件，您还可兑换 1 件。" in facts
    assert "超过 1,000 积分的订单需要输入密码，稍后会提示您输入。" in facts
    assert screen.redeem_button.isEnabled() and not screen.plus.isEnabled()
    assert screen.why.text() == "目前最多只能兑换这么多。"

    factory_floor.stop()
    kiosk.sync_once()  # offline now
    window.visit.show_item("earbuds")
    facts = [line.text() for line in screen.fact_lines if line.isVisible()]
    assert "本机目前离线：网络恢复前您最多可使用 1,000 积分。" in facts
    assert not screen.redeem_button.isEnabled()
    # Above the PIN threshold, and a PIN is checked by the ledger only: not while offline.
    assert screen.why.isVisible() and "联网" in screen.why.text()
    # Disabled looks disabled: the theme's grey, not the primary blue.
    assert colour_at_centre(screen.redeem_button) == QColor(PALETTE.disabled_surface)
    window.visit.redeem("earbuds", 1)  # a tap on the disabled button cannot get further
    assert window.nav.showing("item")


def test_the_done_screen_says_what_was_ordered_and_what_happens_next(
    qtbot, window: MainWindow, badge: Callable[[str], str]
) -> None:
    scan(qtbot, window, badge("E1001"))
    window.visit.redeem("card-100", 1)
    assert window.nav.showing("confirm")
    assert window.confirm.question.text() == "超市购物卡 100 元 × 1"
    qtbot.mouseClick(window.confirm.confirm, Qt.MouseButton.LeftButton)
    done = window.done
    assert done.outcome.text() == "已提交，等待人事部确认"
    assert done.what.text() == "超市购物卡 100 元 × 1"
    assert done.used.text() == "使用积分：1,000"
    assert done.balance.text() == "当前余额：2,000 积分"
    assert "人事部柜台" in done.next_steps.text() and not done.offline.isVisible()
    assert window.status_bar.balance.text() == "余额：2,000 积分"
    window.visit.go_home()
    window.visit.redeem("leave-day", 1)
    qtbot.mouseClick(window.confirm.confirm, Qt.MouseButton.LeftButton)
    assert "班组长" in done.next_steps.text()  # a right: HR books it


def test_home_shows_the_next_expiry_and_the_year_schedule(
    qtbot, window: MainWindow, badge: Callable[[str], str], factory_floor: LiveLedger,
    kiosk: KioskRuntime,
) -> None:  # fmt: skip
    grant(factory_floor.service, "E1002", 120, validity_days=20)
    grant(factory_floor.service, "E1002", 80, validity_days=200)
    kiosk.sync_once()
    scan(qtbot, window, badge("E1002"))  # an English speaker
    text = window.home.next_expiry.text()
    assert text.startswith("Next expiry: 120 points on 2026-07-05"), text
    assert window.home.next_expiry.property("soon") is True
    qtbot.mouseClick(window.home.next_expiry, Qt.MouseButton.LeftButton)
    assert window.nav.showing("expiry")
    rows = [(row.title, row.value) for row in window.expiry.model.rows]
    assert rows[:2] == [("2026-07-05", "120 pts"), ("2027-01-01", "80 pts")]
    assert "1,000 points expire" in window.expiry.hint.text()  # 800 + 120 + 80


def test_a_cancel_shows_its_progress_and_its_end_without_a_tap(
    qtbot, window: MainWindow, badge: Callable[[str], str], kiosk: KioskRuntime
) -> None:
    scan(qtbot, window, badge("E1001"))
    first = window.session.place_order("cake")  # type: ignore[union-attr]
    second = window.session.place_order("leave-day")  # type: ignore[union-attr]
    kiosk.sync_once()
    window.visit.show_orders()
    rows = {row.line.order_id: row for row in window.orders.rows if row.line}
    assert rows[first.order_id].cancel.isVisible() and rows[second.order_id].cancel.isVisible()
    qtbot.mouseClick(rows[first.order_id].cancel, Qt.MouseButton.LeftButton)
    assert window.orders.question.isVisible()
    assert window.orders.yes.property("role") != window.orders.no.property("role")
    qtbot.mouseClick(window.orders.yes, Qt.MouseButton.LeftButton)
    row = window.orders.row(first.order_id)
    assert row is not None and row.state.text() == "正在取消…" and not row.cancel.isVisible()
    kiosk.sync_once()  # the kiosk's sync thread would do this by itself
    row = window.orders.row(first.order_id)
    assert row is not None
    assert row.state.text() == "已取消", row.state.text()
    other = window.orders.row(second.order_id)
    assert other is not None and other.cancel.isVisible()
    assert window.status_bar.balance.text() == "余额：2,500 积分"


def test_a_worker_can_keep_the_language_for_the_next_visits(
    qtbot,
    window: MainWindow,
    badge: Callable[[str], str],
    kiosk: KioskRuntime,
    factory_floor: LiveLedger,
) -> None:
    header = window.header
    scan(qtbot, window, badge("E1001"))  # prefers Chinese
    assert window.home.catalogue.text() == "兑换商城" and not header.remember.isVisible()
    qtbot.mouseClick(header.language, Qt.MouseButton.LeftButton)
    assert header.remember.isVisible() and header.remember.text() == "Always English"
    assert header.remember.height() >= 64
    qtbot.mouseClick(header.language, Qt.MouseButton.LeftButton)  # changed their mind
    assert not header.remember.isVisible()
    qtbot.mouseClick(header.language, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(header.remember, Qt.MouseButton.LeftButton)
    assert window.messages.text == "Your next visits will start in English."
    assert not header.remember.isVisible()
    qtbot.mouseClick(header.logout, Qt.MouseButton.LeftButton)
    assert window.welcome.title.text() == "请扫描工牌"  # the kiosk's own language between visits
    scan(qtbot, window, badge("E1001"))  # before any sync: kept on this kiosk at once
    assert window.home.catalogue.text() == "Catalogue" and not header.remember.isVisible()
    window.visit.logout()

    kiosk.sync_once()  # the ledger hears it, from this kiosk, with the worker's badge
    assert factory_floor.service.employee("E1001")["language"] == "en"
    device = kiosk.service.device()
    assert device is not None
    changes = [e for e in factory_floor.service.events() if e.type == "employee.changed"]
    assert changes[-1].subject == "E1001" and changes[-1].payload["language"] == "en"
    assert changes[-1].actor == f"device:{device.device_id}"
    kiosk.sync_once()  # and the mirror keeps it after the pull
    scan(qtbot, window, badge("E1001"))
    assert window.home.catalogue.text() == "Catalogue"
