"""The whole window, on real kiosk screens: every screen and state fits, every target is a
finger's (or a glove's) size, and the decisions never scroll away.

The real ``MainWindow`` with the real theme is shown offscreen at 1280×800, 800×1280,
1366×768 and 1920×1080, in Chinese and in English, over the demo factory (its largest items
and pictures) plus the longest names and titles a worker may meet. Each walk visits every
screen and state (a message shown, offline, the idle countdown, the PIN prompt, a refusal);
at each, the window must not outgrow the screen and no interactive widget may be outside it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QLineEdit,
    QTabBar,
    QWidget,
)

from kiosk.config import KioskConfig
from kiosk.runtime import KioskRuntime
from ledger.demo.seed import seed_demo
from sync.protocol import LocalizedText
from tests.conftest import LiveLedger, build_service
from tests.kiosk.conftest import kiosk_config, qr_badge
from tests.ledger.factory import employee, event, grant, item, order_request, rule
from ui.i18n import Languages, current_language
from ui.main_window import MainWindow
from ui.tokens import METRICS

pytestmark = pytest.mark.slow

SIZES = ((1280, 800), (800, 1280), (1366, 768), (1920, 1080))
INTERACTIVE = (QAbstractButton, QAbstractItemView, QTabBar, QLineEdit, QAbstractSlider)
# The decisions of a visit: never inside a scroll area, glove-sized.
DECISIONS = ("confirm", "redeem", "stillHere", "yesCancel")
LONG_NAME = "欧阳慕容·司马长风 Alexandria-Wilhelmina"
LONG_TITLE = {
    "zh": "在线学习平台年度高级会员（含结业证书、专属辅导与全部课程回放）",
    "en": "Online learning platform premium membership for a year, certificates included",
}

# The longest code a pool may hold is 200 characters; a long one must wrap, not widen.
LONG_CODE = "GIFT-" + "7Q4M-X9KD-" * 9 + "END"
LONG_REASON = "供应商本季度停产该会员卡，请改选其他课程或联系人事部 " * 2 + "supplier stopped it"


class RealClock:
    def __call__(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Floor:
    ledger: LiveLedger
    kiosk: KioskRuntime
    rich: str  # a worker with points for anything
    poor: str  # a worker short of points
    largest_item: str


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    """The demo factory served by a live ledger, and a kiosk synced with it."""
    root = tmp_path_factory.mktemp("fits")
    service = build_service(f"sqlite:///{root / 'ledger.db'}", RealClock(), root / "key.pem")  # type: ignore[arg-type]
    seed_demo(service, workers=20)
    employee(service, "E9001", name=LONG_NAME, language="en")
    employee(service, "E9002", name="王小明")
    grant(service, "E9001", 60_000)
    grant(service, "E9002", 50)
    # An inbox at its fullest: a long rejection, an expiry reminder, every kind of news.
    grant(service, "E9001", 700, validity_days=6)
    rule(service, "training.long", points=300,
         title={"zh": LONG_TITLE["zh"], "en": LONG_TITLE["en"]})  # fmt: skip
    service.ingest_events([event("ev-long", "E9001", datetime.now(UTC), kind="training.long")])
    long_text = LocalizedText(zh="说明" * 120, en="Terms. " * 90)
    item(service, "membership-long", points=2800, category="virtual", stock=9,
         limit_per_employee=2, limit_period="quarter", title=LONG_TITLE,
         description=long_text)  # fmt: skip
    long_orders = [
        service.place_order(order_request("E9001", "membership-long", 2800), None).order
        for _ in range(2)
    ]
    service.approve_many([long_orders[0].order_id])
    service.fulfil_many([long_orders[0].order_id])
    service.reject_many([long_orders[1].order_id], LONG_REASON)
    # A fulfilled code-pool order: its code on "My orders", asked of the ledger.
    item(service, "gift-long", points=100, category="virtual", title=LONG_TITLE,
         fulfilment="code_pool")  # fmt: skip
    service.add_codes("gift-long", LONG_CODE + "\n")
    gift = service.place_order(order_request("E9001", "gift-long", 100), None).order
    service.approve_many([gift.order_id])
    service.send_expiry_reminders()
    service.write_inbox()
    ledger = LiveLedger(service)
    config: KioskConfig = kiosk_config(root / "kiosk")
    kiosk = KioskRuntime.open(config)
    kiosk.enroll(ledger.url, service.create_enroll_code(), "Fits")
    kiosk.sync_once()
    rich = qr_badge(ledger, "E9001")
    poor = qr_badge(ledger, "E9002")
    kiosk.sync_once()
    with kiosk.store.read() as session:
        from sqlalchemy import func, select

        from kiosk.store.models import Item

        largest = session.scalar(
            select(Item.id)
            .where(Item.id != "membership-long", Item.image_sha256.is_not(None))
            .order_by(func.length(Item.description_zh).desc(), func.length(Item.title_en).desc())
            .limit(1)
        )
    assert largest is not None
    yield Floor(ledger, kiosk, rich, poor, largest)
    kiosk.close()
    ledger.stop()
    service.db.dispose()


def in_scroll_area(widget: QWidget, window: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def on_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown_part(widget: QWidget, window: QWidget) -> QRect:
    """What of ``widget`` its ancestors leave visible, in window coordinates."""
    shown = on_window(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(on_window(parent, window))
        parent = parent.parentWidget()
    return shown.intersected(window.rect())


def problems(window: MainWindow, size: tuple[int, int], state: str) -> list[str]:
    """Everything wrong with the window as it is now."""
    QApplication.processEvents()
    found = []
    width, height = size
    hint = window.minimumSizeHint()
    if hint.width() > width or hint.height() > height:
        found.append(f"{state}: the window needs {hint.width()}×{hint.height()}")
    if window.width() > width or window.height() > height:
        found.append(f"{state}: the window grew to {window.width()}×{window.height()}")
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        name = f"{state}: {type(widget).__name__} {widget.objectName()!r}"
        area = in_scroll_area(widget, window)
        if isinstance(widget, QAbstractSlider) and area is not None:
            continue  # a scroll area's own bar
        placed = area if area is not None else widget
        rect = on_window(placed, window)
        if not window.rect().contains(rect) or shown_part(placed, window) != rect:
            found.append(f"{name} is outside the window or cut: {rect}")
        if isinstance(widget, QAbstractButton):
            if widget.height() < METRICS.target or widget.width() < METRICS.target:
                found.append(f"{name} is {widget.width()}×{widget.height()}")
            decision = widget.objectName() in DECISIONS or widget.property("role") in (
                "primary",
                "danger",
                "dangerFilled",
            )
            if decision and (
                widget.height() < METRICS.primary_height or widget.width() < METRICS.primary_width
            ):
                found.append(f"{name} is {widget.width()}×{widget.height()} (a decision)")
            if widget.objectName() in DECISIONS and area is not None:
                found.append(f"{name} scrolls with the content")
    return found


def apart(left: QWidget, right: QWidget, window: QWidget) -> int:
    return on_window(right, window).left() - on_window(left, window).right()


def wait_until(done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the event loop run until ``done`` (an answer from a thread of the UI)."""
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def walk(window: MainWindow, floor: Floor) -> Iterator[str]:
    """Every screen and state a visit can reach, one at a time."""
    visit, status = window.visit, floor.kiosk.service.status
    yield "welcome"
    visit.scanned("0000-not-a-card")
    yield "welcome with a message"
    visit.ask_login_pin()
    window.pin.show_message("密码错误，还可尝试 4 次。 Wrong PIN. Attempts left: 4")
    yield "PIN prompt with a message"
    visit.pin_cancelled()
    visit.scanned(floor.rich)
    assert visit.session is not None, window.messages.text
    assert window.nav.showing("inbox") and len(window.inbox.rows) >= 5
    yield "inbox after login"
    visit.go_home()  # not "Got it": every size and language walks the same inbox
    yield "home"
    shown = current_language()
    if shown == visit.session.identity.language:
        visit.switch_language()  # a language other than the worker's saved one
    assert window.header.remember.isVisibleTo(window)
    yield "home in the other language, keeping it offered"
    window.set_language(shown)
    visit.show_history()
    yield "history"
    visit.show_catalogue()
    yield "catalogue"
    for chip in window.catalogue.chips[1:]:
        chip.click()
        yield f"catalogue: {chip.text()}"
    visit.show_item(floor.largest_item)
    yield "the largest demo item"
    visit.show_item("membership-long", 2)
    yield "the longest item, at its limit"
    visit.redeem("membership-long", 1)
    yield "PIN before a large order"
    window.visit.pending = ("membership-long", 1)
    visit._ask_confirmation()
    yield "confirm"
    window.confirm.show_refusal("对不起，库存不足。 Sorry, not enough of this item is left.")
    yield "confirm with a refusal"
    cheap = min(floor.kiosk.service.login(floor.rich).catalogue(), key=lambda c: c.points)
    visit.pending = (cheap.item_id, 1)
    visit.place_order()
    yield "done"
    visit.show_orders()
    yield "my orders, the codes being fetched"
    wait_until(lambda: window.orders.codes is not None and window.orders.codes.state == "shown")
    assert any(row.code.isVisible() for row in window.orders.rows)
    yield "my orders with a code"
    row = window.orders.rows[0]
    row.cancel.click()
    yield "my orders, cancel asked"
    assert apart(window.orders.no, window.orders.yes, window) >= METRICS.apart
    window.orders.no.click()
    visit.show_earn()
    yield "how to earn"
    visit.show_expiry()
    yield "expiry schedule"
    status.update(state="offline", offline_since=datetime.now(UTC))
    visit.show_item(cheap.item_id)
    yield "item offline"
    visit.pending = (cheap.item_id, 1)
    visit._ask_confirmation()
    yield "confirm offline"
    assert apart(window.confirm.cancel, window.confirm.confirm, window) >= METRICS.apart
    visit.place_order()
    yield "done offline"
    status.update(state="online", offline_since=None)
    visit.start_countdown()
    yield "idle countdown"
    window.countdown.stop()
    visit.say("这是一条很长的提示信息，用来检查它在窗口里是否完整显示。 " * 3)
    yield "a long message"
    visit.scanned(floor.poor)
    visit.show_item(floor.largest_item)
    yield "an item out of reach"
    visit.logout()
    window.maintenance.show_state(
        floor.kiosk.service.device(), floor.kiosk.service.connection(), window.timezone
    )
    window.nav.go(window.maintenance)
    yield "maintenance"
    window.nav.go(window.setup)
    window.setup.show_result("The server cannot be reached. Check the address and the network.")
    yield "setup"


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_and_state_fits(
    qtbot, floor: Floor, size: tuple[int, int], language: str
) -> None:
    window = MainWindow(floor.kiosk.service, Languages(), language)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.visit.choose_language(language)
    found: list[str] = []
    seen = []
    # KIOSK_FIT_SHOTS=DIR keeps a picture of every state, to look at.
    shots = os.environ.get("KIOSK_FIT_SHOTS")
    for state in walk(window, floor):
        seen.append(state)
        found += problems(window, size, state)
        if shots:
            folder = Path(shots) / f"{size[0]}x{size[1]}-{language}"
            folder.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(folder / f"{len(seen):02d} {state}.png"))
    window.close()
    assert len(seen) >= 25
    assert found == [], "\n".join(found)


def test_the_check_finds_what_does_not_fit(qtbot, floor: Floor) -> None:
    """The checker itself: a screen that needs more room than the display, a small button."""
    window = MainWindow(floor.kiosk.service, Languages(), "en")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert problems(window, (1280, 800), "welcome") == []
    window.welcome.use_pin.setFixedHeight(40)
    assert any("'usePin' is 143×40" in line or "'usePin' is" in line
               for line in problems(window, (1280, 800), "small"))  # fmt: skip
    window.welcome.title.setMinimumHeight(900)  # a screen that cannot fit 800 px
    found = problems(window, (1280, 800), "tall")
    assert any("the window needs" in line for line in found), found


def test_every_label_shows_its_text_as_text(qtbot, floor: Floor) -> None:
    """Names, titles and reasons are typed by HR: no label may draw them as markup."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    window = MainWindow(floor.kiosk.service, Languages(), "en")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    rich: set[str] = set()
    labels = 0
    for state in walk(window, floor):
        for label in window.findChildren(QLabel):
            labels += 1
            if label.textFormat() != Qt.TextFormat.PlainText:
                rich.add(f"{state}: {label.objectName() or type(label).__name__}")
    window.close()
    assert labels > 500
    assert rich == set()
